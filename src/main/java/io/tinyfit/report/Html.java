package io.tinyfit.report;

import java.util.List;

/** The little HTML the report needs: escaped text and tables whose cells are HTML already. */
final class Html {
    private Html() {}

    static String esc(Object text) {
        String s = String.valueOf(text);
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** A table with the given id; header cells are text, row cells are HTML. Numeric-looking cells align right. */
    static String table(String id, List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder("<table id=\"").append(id).append("\"><thead><tr>");
        for (String h : header) sb.append("<th>").append(esc(h)).append("</th>");
        sb.append("</tr></thead><tbody>\n");
        for (List<String> row : rows) {
            sb.append("<tr>");
            for (String cell : row) sb.append(cell.matches("[-+]?[\\d,.]+( B| %)?") ? "<td class=\"num\">" : "<td>").append(cell).append("</td>");
            sb.append("</tr>\n");
        }
        return sb.append("</tbody></table>\n").toString();
    }

    static String bytes(long b) { return String.format("%,d B", b); }
}

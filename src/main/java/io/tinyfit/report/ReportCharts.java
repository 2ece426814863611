package io.tinyfit.report;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnitSource;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYItemRendererState;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CrosshairState;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGHints;
import org.jfree.svg.ViewBox;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The report's charts, drawn by JFreeChart into JFreeSVG's {@code Graphics2D} and returned as {@code <svg>}
 * elements to inline in the page: no image files, no script, nothing fetched when the page is opened.
 */
final class ReportCharts {
    static final int WIDTH = 1000;
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Color[] LINE_COLOURS = {new Color(0x55, 0x55, 0x55), new Color(0x1f, 0x77, 0xb4), new Color(0xd6, 0x27, 0x28)};
    private static final Map<ArenaRect.Kind, Color> KIND_COLOURS = new EnumMap<>(Map.of(
            ArenaRect.Kind.INPUT, new Color(0x2c, 0xa0, 0x2c), ArenaRect.Kind.OUTPUT, new Color(0x94, 0x67, 0xbd),
            ArenaRect.Kind.ACTIVATION, new Color(0x1f, 0x77, 0xb4), ArenaRect.Kind.TILE, new Color(0xff, 0x7f, 0x0e),
            ArenaRect.Kind.SCRATCH, new Color(0x8c, 0x8c, 0x8c), ArenaRect.Kind.OVERLAP, new Color(0xd6, 0x27, 0x28)));

    private static final RectangleAnchor[] MARKER_ANCHORS = {RectangleAnchor.TOP_RIGHT, RectangleAnchor.TOP_LEFT, RectangleAnchor.TOP};
    private static final TextAnchor[] MARKER_TEXT_ANCHORS = {TextAnchor.BOTTOM_RIGHT, TextAnchor.BOTTOM_LEFT, TextAnchor.TOP_CENTER};

    static {
        // charts are drawn without a display, on servers and in CI as on a desktop
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private ReportCharts() {}

    /** One line of the live-bytes chart: bytes live at each step, and the arena of that plan (a dashed marker). */
    record Line(String name, long[] liveBytes, long arenaBytes) {}

    /** Bytes live at each step, one step line per plan, with each plan's arena as a horizontal marker. */
    static String liveBytes(String id, List<Line> lines) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Line l : lines) {
            XYSeries s = new XYSeries(l.name(), false, true);
            for (int step = 0; step < l.liveBytes().length; step++) s.add(step, l.liveBytes()[step]);
            // the last step's level runs to the end of the step
            if (l.liveBytes().length > 0) s.add(l.liveBytes().length, l.liveBytes()[l.liveBytes().length - 1]);
            data.addSeries(s);
        }
        XYStepRenderer renderer = new XYStepRenderer();
        NumberAxis bytes = bytesAxis("bytes live");
        // room above the highest marker for its label
        bytes.setUpperMargin(0.15);
        XYPlot plot = new XYPlot(data, stepAxis(), bytes, renderer);
        JFreeChart chart = chart(plot, "Bytes live at each step");
        for (int i = 0; i < lines.size(); i++) {
            Color c = LINE_COLOURS[i % LINE_COLOURS.length];
            renderer.setSeriesPaint(i, c);
            renderer.setSeriesStroke(i, new BasicStroke(i == 0 ? 1.5f : 2.2f));
            ValueMarker m = new ValueMarker(lines.get(i).arenaBytes(), c, dashed());
            m.setLabel(String.format("arena of %s: %,d B", lines.get(i).name(), lines.get(i).arenaBytes()));
            m.setLabelFont(FONT);
            m.setLabelPaint(c);
            // plans often share an arena size: their labels go to different corners of the line
            m.setLabelAnchor(MARKER_ANCHORS[i % MARKER_ANCHORS.length]);
            m.setLabelTextAnchor(MARKER_TEXT_ANCHORS[i % MARKER_TEXT_ANCHORS.length]);
            plot.addRangeMarker(m);
        }
        return svg(chart, id, 360);
    }

    /**
     * Buffers as rectangles over step (x) and arena address (y), translucent so that shared bytes show darker;
     * shared bytes are also drawn on top in red. Each rectangle carries a tooltip (an SVG title) saying what it is.
     */
    static String arenaMap(String id, String title, List<ArenaRect> rects, long arenaBytes) {
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        List<List<String>> tips = new ArrayList<>();
        List<Color> colours = new ArrayList<>();
        for (ArenaRect.Kind kind : ArenaRect.Kind.values()) {
            XYIntervalSeries s = new XYIntervalSeries(kind.legend, false, true);
            List<String> kindTips = new ArrayList<>();
            for (ArenaRect r : rects) {
                if (r.kind() != kind) continue;
                // step s spans [s, s + 1) on the axis
                s.add(r.firstStep() + (r.lastStep() + 1 - r.firstStep()) / 2.0, r.firstStep(), r.lastStep() + 1.0,
                        r.offset() + r.bytes() / 2.0, r.offset(), r.end());
                kindTips.add(r.describe());
            }
            if (s.getItemCount() == 0) continue;
            data.addSeries(s);
            tips.add(kindTips);
            colours.add(KIND_COLOURS.get(kind));
        }
        XYBarRenderer renderer = new TitledBarRenderer(tips);
        NumberAxis bytes = bytesAxis("arena offset (bytes)");
        bytes.setRange(0, Math.max(1, arenaBytes) * 1.04);
        XYPlot plot = new XYPlot(data, stepAxis(), bytes, renderer);
        // the shared-bytes series comes last and must be drawn last, on top of the buffers
        plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);
        JFreeChart chart = chart(plot, title);
        renderer.setUseYInterval(true);
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(true);
        renderer.setDefaultOutlineStroke(new BasicStroke(0.6f));
        renderer.setDefaultOutlinePaint(new Color(0x33, 0x33, 0x33));
        for (int i = 0; i < colours.size(); i++) {
            Color c = colours.get(i);
            // translucent, so bytes two buffers share show darker; the shared-bytes rectangles on top nearly opaque
            renderer.setSeriesPaint(i, new Color(c.getRed(), c.getGreen(), c.getBlue(), c.equals(KIND_COLOURS.get(ArenaRect.Kind.OVERLAP)) ? 220 : 140));
        }
        ValueMarker end = new ValueMarker(arenaBytes, Color.BLACK, dashed());
        end.setLabel(String.format("arena end %,d B", arenaBytes));
        end.setLabelFont(FONT);
        end.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        end.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        plot.addRangeMarker(end);
        return svg(chart, id, 460);
    }

    /** Sets each rectangle's tooltip just before it is drawn; JFreeSVG writes it as the element's title. */
    private static final class TitledBarRenderer extends XYBarRenderer {
        private final List<List<String>> tips;

        TitledBarRenderer(List<List<String>> tips) { this.tips = tips; }

        @Override public void drawItem(Graphics2D g2, XYItemRendererState state, Rectangle2D dataArea, PlotRenderingInfo info, XYPlot plot,
                                       ValueAxis domainAxis, ValueAxis rangeAxis, XYDataset dataset, int series, int item,
                                       CrosshairState crosshairState, int pass) {
            g2.setRenderingHint(SVGHints.KEY_ELEMENT_TITLE, tips.get(series).get(item));
            super.drawItem(g2, state, dataArea, info, plot, domainAxis, rangeAxis, dataset, series, item, crosshairState, pass);
        }
    }

    private static NumberAxis stepAxis() {
        NumberAxis a = new NumberAxis("step");
        a.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        a.setLowerMargin(0);
        a.setUpperMargin(0);
        return a;
    }

    private static NumberAxis bytesAxis(String label) {
        NumberAxis a = new NumberAxis(label);
        a.setStandardTickUnits(new NumberTickUnitSource(true, new DecimalFormat("#,##0")));
        a.setNumberFormatOverride(new DecimalFormat("#,##0"));
        return a;
    }

    private static BasicStroke dashed() {
        return new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
    }

    /** The chart in tinyfit's theme; the theme resets series paints, so a caller styles its renderer after this. */
    private static JFreeChart chart(XYPlot plot, String title) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        plot.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        JFreeChart chart = new JFreeChart(title, FONT.deriveFont(Font.BOLD, 14f), plot, true);
        StandardChartTheme theme = new StandardChartTheme("tinyfit");
        theme.setExtraLargeFont(FONT.deriveFont(Font.BOLD, 14f));
        theme.setLargeFont(FONT.deriveFont(Font.BOLD, 12f));
        theme.setRegularFont(FONT);
        theme.setSmallFont(FONT.deriveFont(10f));
        theme.setShadowVisible(false);
        theme.setPlotBackgroundPaint(Color.WHITE);
        theme.setChartBackgroundPaint(Color.WHITE);
        theme.setXYBarPainter(new StandardXYBarPainter());
        theme.apply(chart);
        return chart;
    }

    /** The chart as an {@code <svg>} element with the given id; its definitions carry the id too, so charts on one page never share one. */
    private static String svg(JFreeChart chart, String id, int height) {
        SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, height);
        g2.setDefsKeyPrefix(id + "-");
        chart.draw(g2, new Rectangle2D.Double(0, 0, WIDTH, height));
        // a view box lets the page scale the chart to its column
        return g2.getSVGElement(id, true, new ViewBox(0, 0, WIDTH, height), null, null);
    }
}

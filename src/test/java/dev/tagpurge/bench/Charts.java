package dev.tagpurge.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The benchmark's pictures, drawn by JFreeChart from the figures just measured (nothing is drawn by
 * hand): latency against offered load, and throughput against partitions beside the broker's
 * pass-through ceiling at the same partition count.
 */
final class Charts {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 540;

    /** One step of the load sweep: the offered rate and the latency percentiles it produced. */
    record LoadPoint(double offeredPerSecond, double achievedPerSecond, double p50, double p99) {}

    /** One step of the partition sweep. */
    record PartitionPoint(int partitions, double throughput, double passThrough) {}

    static {
        // no display on a build machine: AWT draws into images only
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /**
     * Latency against offered load: the knee is where p99 leaves the linger's floor.
     *
     * @param lingerMs the window's linger, drawn as the floor every event waits for
     */
    static void latencyAgainstLoad(List<LoadPoint> points, double lingerMs, Path png)
            throws IOException {
        XYSeries p50 = new XYSeries("p50");
        XYSeries p99 = new XYSeries("p99");
        for (LoadPoint point : points) {
            p50.add(point.offeredPerSecond(), point.p50());
            p99.add(point.offeredPerSecond(), point.p99());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(p50);
        data.addSeries(p99);
        JFreeChart chart =
                ChartFactory.createXYLineChart(
                        "Latency against offered load (production → purge confirmed)",
                        "offered load (events/s)",
                        "latency (ms)",
                        data,
                        PlotOrientation.VERTICAL,
                        true,
                        false,
                        false);
        XYPlot plot = styled(chart);
        ValueMarker linger = new ValueMarker(lingerMs, Color.GRAY, new BasicStroke(1f));
        linger.setLabel("linger " + Math.round(lingerMs) + " ms");
        plot.addRangeMarker(linger);
        save(chart, png);
    }

    /**
     * Throughput against the input topic's partition count, beside the pass-through ceiling.
     *
     * @param setting what the points were measured with (targets, events per point), shown under
     *     the title so that the picture is not read without it
     */
    static void throughputAgainstPartitions(List<PartitionPoint> points, String setting, Path png)
            throws IOException {
        XYSeries tagpurge = new XYSeries("Tagpurge (per-event completions)");
        XYSeries passThrough = new XYSeries("Kafka pass-through ceiling");
        for (PartitionPoint point : points) {
            tagpurge.add(point.partitions(), point.throughput());
            passThrough.add(point.partitions(), point.passThrough());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(tagpurge);
        data.addSeries(passThrough);
        JFreeChart chart =
                ChartFactory.createXYLineChart(
                        "Throughput against partitions",
                        "partitions of the input topic",
                        "events/s",
                        data,
                        PlotOrientation.VERTICAL,
                        true,
                        false,
                        false);
        chart.addSubtitle(new TextTitle(setting));
        XYPlot plot = styled(chart);
        // a partition count is a whole number
        plot.getDomainAxis().setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        save(chart, png);
    }

    private static XYPlot styled(JFreeChart chart) {
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        renderer.setSeriesStroke(1, new BasicStroke(2f));
        plot.setRenderer(renderer);
        return plot;
    }

    private static void save(JFreeChart chart, Path png) throws IOException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }
}

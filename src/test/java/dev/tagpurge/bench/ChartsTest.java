package dev.tagpurge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {

    @TempDir Path dir;

    @Test
    void drawsTheLatencyChartAsAPng() throws Exception {
        Path png = dir.resolve("latency.png");

        Charts.latencyAgainstLoad(
                List.of(
                        new Charts.LoadPoint(1_000, 1_000, 52, 61),
                        new Charts.LoadPoint(10_000, 9_990, 55, 80),
                        new Charts.LoadPoint(20_000, 15_000, 900, 4_000)),
                50,
                png);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(distinctColours(image)).isGreaterThan(3);
    }

    @Test
    void drawsTheThroughputChartAsAPng() throws Exception {
        Path png = dir.resolve("partitions.png");

        Charts.throughputAgainstPartitions(
                List.of(
                        new Charts.PartitionPoint(1, 10_000, 60_000),
                        new Charts.PartitionPoint(6, 16_000, 120_000)),
                "targets fastly, 300,000 events per point",
                png);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getHeight()).isEqualTo(540);
        assertThat(distinctColours(image)).isGreaterThan(3);
    }

    /** A blank or single-colour image would mean nothing was drawn. */
    private static long distinctColours(BufferedImage image) {
        return IntStream.range(0, image.getWidth() * image.getHeight())
                .map(i -> image.getRGB(i % image.getWidth(), i / image.getWidth()))
                .distinct()
                .limit(10)
                .count();
    }
}

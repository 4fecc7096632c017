/**
 * Pictures drawn from a script's maps, written as self-contained SVG with no external tool: flame graphs of maps
 * keyed by stacks ({@link jbpf.output.picture.FlameGraph}, fed by {@link jbpf.output.picture.FoldedStacks}, which
 * also reads and writes the folded {@code a;b;c 12} text that other flame-graph tools exchange), and time-by-bucket
 * heat maps of {@code hist()} and {@code lhist()} maps ({@link jbpf.output.picture.HeatMap}, fed by
 * {@link jbpf.output.picture.HistTimeline}). The flame graph follows the conventions of
 * https://www.brendangregg.com/flamegraphs.html: one box per function on a path, siblings in alphabetical order,
 * width proportional to the samples, interactive through embedded JavaScript.
 */
package jbpf.output.picture;

/**
 * Script text and places in it: {@link jbpf.source.Source}, {@link jbpf.source.Span} and the bpftrace-style
 * {@link jbpf.source.Diagnostic} that every stage of the pipeline reports problems with.
 */
package jbpf.source;

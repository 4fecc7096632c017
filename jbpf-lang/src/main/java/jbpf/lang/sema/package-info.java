/** Semantic analysis: names, types and probes resolved, from the syntax tree to the typed tree. */
package jbpf.lang.sema;

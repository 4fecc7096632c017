/** The typed syntax tree that semantic analysis produces and code generation consumes. */
package jbpf.lang.typed;

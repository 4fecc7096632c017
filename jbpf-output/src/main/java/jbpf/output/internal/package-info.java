/** Byte-level building blocks of the formatters: a growable byte string and JSON string escaping. Not exported. */
package jbpf.output.internal;

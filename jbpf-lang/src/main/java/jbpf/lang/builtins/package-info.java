/** The tables of builtin variables and functions of the language, with their types. */
package jbpf.lang.builtins;

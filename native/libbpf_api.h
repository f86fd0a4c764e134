/*
 * Input header for jextract: the libbpf API surface used by spawnwatch.
 *
 * Not compiled into anything; jextract parses it to generate the Java FFM
 * bindings in java/src/main/java/io/spawnwatch/libbpf/jextract/ (see README.md).
 * Which symbols are actually generated is controlled by jextract-includes.txt.
 */
#ifndef SPAWNWATCH_LIBBPF_API_H
#define SPAWNWATCH_LIBBPF_API_H

#include <stdarg.h>      /* va_list, used by libbpf_print_fn_t */
#include <stdio.h>       /* vsnprintf, to format libbpf's print callback */
#include <linux/bpf.h>   /* BPF_ANY, BPF_NOEXIST, BPF_EXIST */
#include <bpf/libbpf.h>
#include <bpf/bpf.h>

#endif /* SPAWNWATCH_LIBBPF_API_H */

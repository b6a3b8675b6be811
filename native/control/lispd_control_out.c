/* lispd_control_out.c - the answer buffer and its JSON writer (lispd_control_internal.h).
 * Small on purpose: the answers are flat documents of strings, integers and booleans. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lispd_control_internal.h"

void ctl_out_free(ctl_out *o)
{
    free(o->buf);
    memset(o, 0, sizeof *o);
}

static bool reserve(ctl_out *o, size_t n)
{
    size_t cap;
    char *p;

    if (o->failed)
        return false;
    if (o->len + n + 1 <= o->cap)
        return true;
    cap = o->cap ? o->cap : 4096;
    while (cap < o->len + n + 1)
        cap *= 2;
    p = realloc(o->buf, cap);
    if (!p) {
        o->failed = true;
        return false;
    }
    o->buf = p;
    o->cap = cap;
    return true;
}

void ctl_write(ctl_out *o, const char *s, size_t n)
{
    if (!reserve(o, n))
        return;
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

void ctl_puts(ctl_out *o, const char *s)
{
    ctl_write(o, s, strlen(s));
}

void ctl_printf(ctl_out *o, const char *fmt, ...)
{
    va_list ap;
    size_t room;
    int n;

    if (!reserve(o, 128)) /* most lines fit: one formatting pass */
        return;
    room = o->cap - o->len;
    va_start(ap, fmt);
    n = vsnprintf(o->buf + o->len, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        o->buf[o->len] = '\0';
        return;
    }
    if ((size_t)n >= room) {
        if (!reserve(o, (size_t)n))
            return;
        va_start(ap, fmt);
        vsnprintf(o->buf + o->len, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    o->len += (size_t)n;
}

/* A JSON string with every character RFC 8259 requires escaped (quote, backslash, control
 * characters); other bytes pass as they are (names come from configuration, UTF-8). */
static void json_string(ctl_out *o, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s, *run = p;

    ctl_write(o, "\"", 1);
    for (; *p; p++) {
        char esc[6] = {'\\', 'u', '0', '0', 0, 0};
        size_t n = 6;
        if (*p >= 0x20 && *p != '"' && *p != '\\' && *p != 0x7f)
            continue; /* part of the run written as it is */
        esc[4] = hex[*p >> 4];
        esc[5] = hex[*p & 15];
        ctl_write(o, (const char *)run, (size_t)(p - run));
        run = p + 1;
        if (*p == '"' || *p == '\\') {
            esc[1] = (char)*p;
            n = 2;
        } else if (*p == '\n' || *p == '\t') {
            esc[1] = *p == '\n' ? 'n' : 't';
            n = 2;
        }
        ctl_write(o, esc, n);
    }
    ctl_write(o, (const char *)run, (size_t)(p - run));
    ctl_write(o, "\"", 1);
}

/* The separator and the member name before a value. */
static void member(ctl_out *o, const char *key)
{
    if (o->depth > 0) {
        if (o->has_items[o->depth - 1])
            ctl_write(o, ",", 1);
        o->has_items[o->depth - 1] = true;
    }
    if (key) {
        json_string(o, key);
        ctl_write(o, ":", 1);
    }
}

static void open_block(ctl_out *o, const char *key, const char *bracket)
{
    member(o, key);
    ctl_puts(o, bracket);
    if (o->depth >= CTL_JSON_DEPTH) { /* a renderer bug; never half a document */
        o->failed = true;
        return;
    }
    o->has_items[o->depth++] = false;
}

static void close_block(ctl_out *o, const char *bracket)
{
    if (o->depth > 0)
        o->depth--;
    ctl_puts(o, bracket);
}

void json_object(ctl_out *o, const char *key)
{
    open_block(o, key, "{");
}

void json_end_object(ctl_out *o)
{
    close_block(o, "}");
}

void json_array(ctl_out *o, const char *key)
{
    open_block(o, key, "[");
}

void json_end_array(ctl_out *o)
{
    close_block(o, "]");
}

void json_str(ctl_out *o, const char *key, const char *value)
{
    member(o, key);
    if (value)
        json_string(o, value);
    else
        ctl_puts(o, "null");
}

void json_u64(ctl_out *o, const char *key, uint64_t value)
{
    member(o, key);
    ctl_printf(o, "%llu", (unsigned long long)value);
}

void json_bool(ctl_out *o, const char *key, bool value)
{
    member(o, key);
    ctl_puts(o, value ? "true" : "false");
}

void json_null(ctl_out *o, const char *key)
{
    member(o, key);
    ctl_puts(o, "null");
}

void json_seconds_until(ctl_out *o, const char *key, lisp_time_t now, lisp_time_t t)
{
    if (t == LISP_TIME_NEVER)
        json_null(o, key);
    else
        json_u64(o, key, t > now ? (t - now + LISP_NS_PER_SEC - 1) / LISP_NS_PER_SEC : 0);
}

void json_seconds_since(ctl_out *o, const char *key, lisp_time_t now, lisp_time_t t)
{
    if (t == LISP_TIME_NEVER)
        json_null(o, key);
    else
        json_u64(o, key, now > t ? (now - t) / LISP_NS_PER_SEC : 0);
}

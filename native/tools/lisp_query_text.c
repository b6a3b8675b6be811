/* lisp_query_text.c - text in and out: EID-prefixes parsed from the command line, addresses
 * and Map-Reply records printed (lisp_query.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lisp_query.h"

/* A decimal prefix length 0..max. */
static bool parse_len(const char *text, unsigned max, unsigned long long *out)
{
    char *end;

    if (*text < '0' || *text > '9')
        return false;
    *out = strtoull(text, &end, 10);
    return !*end && *out <= max;
}

/* "10.1.0.0/16", "2001:db8::1" (a host prefix when the length is missing). */
int lq_parse_eid(const char *arg, lisp_eid *out)
{
    char text[80];
    const char *slash = strchr(arg, '/');
    size_t n = slash ? (size_t)(slash - arg) : strlen(arg);
    unsigned long long len;
    lisp_afi_addr a;
    unsigned bits, i;

    if (n >= sizeof text)
        return -1;
    memcpy(text, arg, n);
    text[n] = '\0';
    if (lisp_afi_from_str(&a, text) < 0 || (a.afi != LISP_AFI_IPV4 && a.afi != LISP_AFI_IPV6))
        return -1;
    bits = lisp_afi_bits(a.afi);
    len = bits;
    if (slash && !parse_len(slash + 1, bits, &len))
        return -1;
    memset(out, 0, sizeof *out);
    out->afi = a.afi;
    out->mask_len = (uint8_t)len;
    memcpy(out->addr, a.ip, 16);
    for (i = out->mask_len; i < bits; i++) /* canonical: host bits zero */
        out->addr[i / 8] &= (uint8_t) ~(0x80u >> (i % 8));
    return 0;
}

const char *lq_eid_str(const lisp_eid *e, char *buf, size_t cap)
{
    lisp_prefix p = lisp_mapcache_prefix_to_wire(e, e->iid != 0);
    return lq_prefix_str(&p, buf, cap);
}

const char *lq_prefix_str(const lisp_prefix *p, char *buf, size_t cap)
{
    char addr[LISP_ADDR_STR_MAX];

    lisp_addr_to_str(&p->addr, addr, sizeof addr);
    snprintf(buf, cap, "%s/%u", addr, p->mask_len);
    return buf;
}

const char *lq_endpoint_str(const lisp_endpoint *e, char *buf, size_t cap)
{
    lisp_afi_addr a = lisp_afi_ip(e->afi, e->addr);
    char addr[LISP_ADDR_STR_MAX];

    lisp_afi_to_str(&a, addr, sizeof addr);
    snprintf(buf, cap, e->afi == LISP_AFI_IPV6 ? "[%s]:%u" : "%s:%u", addr, e->port);
    return buf;
}

const char *lq_action_name(uint8_t action)
{
    static const char *const names[] = {"no-action", "natively-forward",   "send-map-request",
                                        "drop",      "drop-policy-denied", "drop-auth-failure"};
    return action < sizeof names / sizeof names[0] ? names[action] : "unknown-action";
}

double lq_ms(lisp_time_t ns)
{
    return (double)ns / (double)LISP_NS_PER_MS;
}

void lq_json_str(const char *text)
{
    putchar('"');
    for (; *text; text++) {
        unsigned char c = (unsigned char)*text;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static void print_ttl(uint32_t ttl)
{
    if (ttl == LISP_TTL_NEVER)
        printf("never expires");
    else
        printf("%u", ttl);
}

static void print_record_text(const lisp_record *rec)
{
    char prefix[LISP_ADDR_STR_MAX + 8], addr[LISP_ADDR_STR_MAX];
    unsigned j;

    printf("%s, record ttl: ", lq_prefix_str(&rec->eid, prefix, sizeof prefix));
    print_ttl(rec->ttl);
    printf(", %s", rec->authoritative ? "authoritative" : "not authoritative");
    if (rec->loc_count == 0)
        printf(", negative, action: %s\n", lq_action_name(rec->action));
    else
        printf(", action: %s\n", lq_action_name(rec->action));
    if (rec->loc_count == 0)
        return;
    printf("  %-40s %-5s %-16s %s\n", "Locator", "State", "Priority/Weight", "M-Priority/M-Weight");
    for (j = 0; j < rec->loc_count; j++) {
        const lisp_locator *l = &rec->locators[j];
        char pw[16], mpw[16];
        snprintf(pw, sizeof pw, "%u/%u", l->priority, l->weight);
        snprintf(mpw, sizeof mpw, "%u/%u", l->mpriority, l->mweight);
        printf("  %-40s %-5s %-16s %s%s%s\n", lisp_addr_to_str(&l->addr, addr, sizeof addr),
               (l->flags & LISP_LOC_F_R) ? "up" : "down", pw, mpw,
               (l->flags & LISP_LOC_F_L) ? " local" : "",
               (l->flags & LISP_LOC_F_P) ? " probed" : "");
    }
}

static void print_record_json(const lisp_record *rec)
{
    char prefix[LISP_ADDR_STR_MAX + 8], addr[LISP_ADDR_STR_MAX];
    unsigned j;

    printf("{\"eid_prefix\": ");
    lq_json_str(lq_prefix_str(&rec->eid, prefix, sizeof prefix));
    printf(", \"ttl\": %u, \"authoritative\": %s, \"action\": ", rec->ttl,
           rec->authoritative ? "true" : "false");
    lq_json_str(lq_action_name(rec->action));
    printf(", \"map_version\": %u, \"locators\": [", rec->map_version);
    for (j = 0; j < rec->loc_count; j++) {
        const lisp_locator *l = &rec->locators[j];
        printf("%s{\"address\": ", j ? ", " : "");
        lq_json_str(lisp_addr_to_str(&l->addr, addr, sizeof addr));
        printf(", \"priority\": %u, \"weight\": %u, \"mpriority\": %u, \"mweight\": %u, "
               "\"reachable\": %s, \"local\": %s, \"probed\": %s}",
               l->priority, l->weight, l->mpriority, l->mweight,
               (l->flags & LISP_LOC_F_R) ? "true" : "false",
               (l->flags & LISP_LOC_F_L) ? "true" : "false",
               (l->flags & LISP_LOC_F_P) ? "true" : "false");
    }
    printf("]}");
}

void lq_print_records(const lisp_map_reply *r, bool json)
{
    unsigned i;

    if (json) {
        printf("\"records\": [");
        for (i = 0; i < r->record_count; i++) {
            printf(i ? ", " : "");
            print_record_json(&r->records[i]);
        }
        printf("]");
        return;
    }
    for (i = 0; i < r->record_count; i++)
        print_record_text(&r->records[i]);
}

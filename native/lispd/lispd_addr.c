/* lispd_addr.c - text forms of prefixes and addresses (lispd_addr.h). */
#include "lispd_addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lisp_addr.h"

int lispd_addr_parse(const char *text, lisp_endpoint *out)
{
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET, text, out->addr) == 1) {
        out->afi = LISP_AFI_IPV4;
        return 0;
    }
    if (inet_pton(AF_INET6, text, out->addr) == 1) {
        out->afi = LISP_AFI_IPV6;
        return 0;
    }
    return -1;
}

int lispd_prefix_parse(const char *text, lisp_eid *out, char *err, size_t errlen)
{
    char addr[INET6_ADDRSTRLEN + 1];
    const char *slash, *p = text;
    unsigned long iid = 0, len, bits, i;
    lisp_endpoint ep;
    lisp_eid eid;
    char *end;

    memset(&eid, 0, sizeof eid);
    if (*p == '[') {
        errno = 0;
        iid = strtoul(p + 1, &end, 10);
        if (end == p + 1 || *end != ']' || errno || iid > 0xFFFFFFul) {
            snprintf(err, errlen, "'%s': the instance-ID in brackets must be 0..16777215", text);
            return -1;
        }
        p = end + 1;
    }
    slash = strchr(p, '/');
    if (!slash || (size_t)(slash - p) >= sizeof addr) {
        snprintf(err, errlen, "'%s' is not a prefix (address/length)", text);
        return -1;
    }
    memcpy(addr, p, (size_t)(slash - p));
    addr[slash - p] = '\0';
    if (lispd_addr_parse(addr, &ep) != 0) {
        snprintf(err, errlen, "'%s' is not an IPv4 or IPv6 address", addr);
        return -1;
    }
    bits = ep.afi == LISP_AFI_IPV4 ? 32 : 128;
    errno = 0;
    len = strtoul(slash + 1, &end, 10);
    if (end == slash + 1 || *end || errno || len > bits) {
        snprintf(err, errlen, "'%s': the prefix length must be 0..%lu", text, bits);
        return -1;
    }
    eid.iid = (uint32_t)iid;
    eid.afi = ep.afi;
    eid.mask_len = (uint8_t)len;
    memcpy(eid.addr, ep.addr, sizeof eid.addr);
    for (i = len; i < bits; i++) {
        if (eid.addr[i / 8] & (0x80u >> (i % 8))) {
            char fixed[64];
            lisp_eid canon = eid;
            for (i = len; i < bits; i++)
                canon.addr[i / 8] &= (uint8_t) ~(0x80u >> (i % 8));
            snprintf(err, errlen, "'%s': host bits set (did you mean %s?)", text,
                     lispd_eid_to_str(&canon, fixed, sizeof fixed));
            return -1;
        }
    }
    *out = eid;
    return 0;
}

const char *lispd_eid_to_str(const lisp_eid *e, char *buf, size_t cap)
{
    char addr[INET6_ADDRSTRLEN];
    const int family = e->afi == LISP_AFI_IPV4 ? AF_INET : AF_INET6;

    if (e->afi != LISP_AFI_IPV4 && e->afi != LISP_AFI_IPV6) {
        snprintf(buf, cap, "none");
        return buf;
    }
    inet_ntop(family, e->addr, addr, sizeof addr);
    if (e->iid)
        snprintf(buf, cap, "[%u]%s/%u", (unsigned)e->iid, addr, (unsigned)e->mask_len);
    else
        snprintf(buf, cap, "%s/%u", addr, (unsigned)e->mask_len);
    return buf;
}

const char *lispd_addr_to_str(const lisp_endpoint *e, char *buf, size_t cap)
{
    char addr[INET6_ADDRSTRLEN];
    if (e->afi != LISP_AFI_IPV4 && e->afi != LISP_AFI_IPV6) {
        snprintf(buf, cap, "none");
        return buf;
    }
    inet_ntop(e->afi == LISP_AFI_IPV4 ? AF_INET : AF_INET6, e->addr, addr, sizeof addr);
    snprintf(buf, cap, "%s", addr);
    return buf;
}

bool lispd_prefix_covers(const lisp_eid *prefix, unsigned afi, const unsigned char *addr)
{
    const unsigned whole = prefix->mask_len / 8, rest = prefix->mask_len % 8;

    if (prefix->afi != afi)
        return false;
    if (memcmp(prefix->addr, addr, whole) != 0)
        return false;
    if (rest == 0)
        return true;
    return ((prefix->addr[whole] ^ addr[whole]) & (0xFFu << (8 - rest))) == 0;
}

/* fuzz_nat.c - libFuzzer target for the NAT engine: the input is a sequence of records
 * [flags, length, bytes...]; flags picks the direction (bit 0), the time step (bits 1-3),
 * an inbound packet to our address (bit 4), a mostly well-formed packet (bit 5), the batch
 * call (bit 6) and, in the first record, the preset (bits 4-7). Each record's bytes go to
 * lisp_nat_outbound or lisp_nat_inbound as one packet, with the public address and a
 * mapped port patched in now and then so that inbound packets reach mappings. A verdict
 * out of range, a rewrite that changed the packet's length field or an engine that no
 * longer expires everything by the end aborts. */
#include <stdlib.h>
#include <string.h>

#include "lisp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t rng_state;

static uint64_t fuzz_random(void *u)
{
    (void)u;
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Make a packet mostly well-formed, so that inputs reach mappings: IPv4 with the right
 * total length, UDP/TCP/ICMP, a few inside and outside hosts, ports in the NAT's range, and
 * for ICMP an IPv4 header quoted at the right place. Fragment bits and the rest stay. */
static void shape(uint8_t *p, size_t len, bool inbound)
{
    static const uint8_t protos[3] = {17, 6, 1};
    uint8_t in[4] = {10, 0, 0, (uint8_t)(p[15] & 3)}, out[4] = {198, 51, 100, (uint8_t)(p[19] & 3)};

    p[0] = 0x45;
    p[2] = (uint8_t)(len >> 8);
    p[3] = (uint8_t)len;
    p[9] = protos[p[9] % 3];
    memcpy(p + 12, inbound ? out : in, 4);
    memcpy(p + 16, inbound ? in : out, 4);
    if (len >= 24 && p[9] != 1) { /* the port that names a mapping */
        unsigned port = 1000u + (p[21] & 63u);
        p[inbound ? 22 : 20] = (uint8_t)(port >> 8);
        p[inbound ? 23 : 21] = (uint8_t)port;
    }
    if (len >= 48 && p[9] == 1 && (p[20] & 1)) { /* an error quoting a packet */
        p[20] = p[20] & 2 ? 3 : 11;
        p[28] = 0x45;
        p[37] = protos[p[37] % 3];
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t pub[4] = {203, 0, 113, 1};
    uint8_t pkt[2048];
    lisp_nat_config cfg;
    lisp_host host;
    lisp_nat *n;
    lisp_time_t now = 0;
    size_t i = 0;

    if (size < 1)
        return 0;
    rng_state = 0x9E3779B97F4A7C15ull;
    memset(&host, 0, sizeof host);
    host.env.random = fuzz_random;
    lisp_nat_config_default(&cfg);
    lisp_nat_preset(&cfg, lisp_nat_preset_at((data[0] >> 4) % 6));
    cfg.n_public = 1;
    memcpy(cfg.public_addrs[0], pub, 4);
    cfg.port_min = 1000;
    cfg.port_max = 1063; /* small, so that inputs find mapped ports and exhaust them */
    cfg.max_mappings = 32;
    cfg.hairpinning = (data[0] & 0x08) != 0;
    cfg.inbound_refresh = (data[0] & 0x04) != 0;
    n = lisp_nat_new(&cfg, &host, 0);
    if (!n)
        abort();
    while (i + 2 <= size) {
        uint8_t flags = data[i];
        size_t len = data[i + 1] * 8u, tot;
        int v;

        i += 2;
        if (len > size - i)
            len = size - i;
        memcpy(pkt, data + i, len);
        i += len;
        if (len >= 20 && (flags & 0x20))
            shape(pkt, len, flags & 1);
        if ((flags & 1) && len >= 20 && (flags & 0x10)) /* inbound to our address */
            memcpy(pkt + 16, pub, 4);
        tot = len >= 4 ? (size_t)(pkt[2] << 8 | pkt[3]) : 0;
        now += (lisp_time_t)((flags >> 1) & 7) * 20 * LISP_NS_PER_SEC;
        if (lisp_nat_next_expiry(n) <= now)
            lisp_nat_handle_expiry(n, now);
        if (flags & 0x40) { /* through the batch path (its prefetching walks the tables) */
            uint8_t *one = pkt;
            if (flags & 1)
                lisp_nat_inbound_batch(n, now, &one, &len, 1, &v);
            else
                lisp_nat_outbound_batch(n, now, &one, &len, 1, &v);
        } else {
            v = (flags & 1) ? lisp_nat_inbound(n, now, pkt, len)
                            : lisp_nat_outbound(n, now, pkt, len);
        }
        if (v < LISP_NAT_FORWARD || v > LISP_NAT_DROP)
            abort();
        if (len >= 4 && (size_t)(pkt[2] << 8 | pkt[3]) != tot)
            abort();
    }
    lisp_nat_handle_expiry(n, now + 3 * 3600 * LISP_NS_PER_SEC);
    if (lisp_nat_mapping_count(n) != 0 || lisp_nat_next_expiry(n) != LISP_TIME_NEVER)
        abort();
    lisp_nat_free(n);
    return 0;
}

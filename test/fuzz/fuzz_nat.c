/* fuzz_nat.c - libFuzzer target for the NAT engine: the input is a sequence of records
 * [flags, length, bytes...]; flags picks the direction (bit 0), the time step (bits 1-3)
 * and, in the first record, the preset (bits 4-7). Each record's bytes go to
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
        if ((flags & 1) && len >= 20 && (flags & 0x10)) /* inbound to our address */
            memcpy(pkt + 16, pub, 4);
        tot = len >= 4 ? (size_t)(pkt[2] << 8 | pkt[3]) : 0;
        now += (lisp_time_t)((flags >> 1) & 7) * 20 * LISP_NS_PER_SEC;
        if (lisp_nat_next_expiry(n) <= now)
            lisp_nat_handle_expiry(n, now);
        v = (flags & 1) ? lisp_nat_inbound(n, now, pkt, len) : lisp_nat_outbound(n, now, pkt, len);
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

/* lisp_xtr_harness.c - the xTR test harness (lisp_xtr_harness.h). */
#include "lisp_xtr_harness.h"

#include <arpa/inet.h>
#include <string.h>

#include "lisp_auth.h"
#include "lisp_data.h"

fake_io g_io;
lisp_xtr *g_x;
lisp_msg g_m, g_inner;

lisp_mapcache_loc xh_rloc(const char *ip, uint8_t prio, uint8_t weight)
{
    lisp_endpoint e = lt_endpoint(ip, 0);
    lisp_mapcache_loc l;
    memset(&l, 0, sizeof l);
    l.afi = e.afi;
    memcpy(l.addr, e.addr, 16);
    l.priority = prio;
    l.weight = weight;
    l.flags = LISP_LOC_F_R;
    return l;
}

void xh_base_config(lisp_xtr_config *c)
{
    lisp_xtr_config_default(c);
    c->n_eids = 1;
    c->eids[0] = lt_eid("10.1.0.0", 16, 0);
    c->n_rlocs = 1;
    c->rlocs[0] = xh_rloc("192.0.2.1", 1, 100);
    c->n_map_resolvers = 1;
    c->map_resolvers[0] = lt_endpoint("203.0.113.10", 0);
    c->n_map_servers = 1;
    c->map_servers[0].addr = lt_endpoint("203.0.113.10", 0);
    c->map_servers[0].key_id = LISP_KEY_ID_HMAC_SHA1_96;
    c->map_servers[0].key_len = (uint16_t)strlen(XH_KEY);
    memcpy(c->map_servers[0].key, XH_KEY, strlen(XH_KEY));
}

void xh_start(const lisp_xtr_config *c)
{
    fake_io_init(&g_io, 42);
    g_x = lisp_xtr_new(c, &g_io.host, T0);
    assert_non_null(g_x);
}

int xh_teardown(void **state)
{
    (void)state;
    lisp_xtr_free(g_x);
    g_x = NULL;
    return 0;
}

int xh_udp(lisp_time_t now, const lisp_endpoint *src, const lisp_endpoint *dst, uint8_t ttl,
           uint8_t tos, const uint8_t *payload, size_t len)
{
    lisp_dgram d;
    memset(&d, 0, sizeof d);
    d.src = *src;
    d.dst = *dst;
    d.ttl = ttl;
    d.tos = tos;
    return lisp_xtr_input(g_x, now, &d, payload, len);
}

size_t xh_udp_packet(uint8_t *buf, const char *src, const char *dst, uint16_t sport, uint16_t dport,
                     uint8_t ttl, uint8_t tos, const char *text)
{
    lisp_ipudp h;
    lisp_endpoint s = lt_endpoint(src, 0), d = lt_endpoint(dst, 0);
    size_t len, n = strlen(text);

    memset(&h, 0, sizeof h);
    h.afi = s.afi;
    memcpy(h.src, s.addr, 16);
    memcpy(h.dst, d.addr, 16);
    h.sport = sport;
    h.dport = dport;
    h.ttl = ttl;
    h.tos = tos;
    memcpy(buf + lisp_ipudp_header_len(h.afi), text, n);
    lt_assert_ok(lisp_ipudp_encode(&h, buf, 1500, n, &len));
    return len;
}

size_t xh_ip_packet(uint8_t *buf, const char *src, const char *dst, uint16_t sport, uint8_t ttl,
                    uint8_t tos)
{
    return xh_udp_packet(buf, src, dst, sport, 7, ttl, tos, "hello");
}

void xh_eid(lisp_time_t now, const char *src, const char *dst, uint16_t sport)
{
    uint8_t pkt[1500];
    size_t len = xh_ip_packet(pkt, src, dst, sport, 64, 0);
    lt_assert_ok(lisp_xtr_eid_packet(g_x, now, pkt, len));
}

int xh_sent(size_t i)
{
    assert_true(i < g_io.n_sent);
    lt_assert_ok(lisp_msg_decode(&g_m, g_io.sent[i].data, g_io.sent[i].len));
    if (g_m.type == LISP_ECM)
        lt_assert_ok(lisp_msg_decode(&g_inner, g_m.u.ecm.payload, g_m.u.ecm.payload_len));
    return g_m.type;
}

uint64_t xh_sent_request_nonce(size_t i)
{
    assert_int_equal(xh_sent(i), LISP_ECM);
    assert_int_equal(g_inner.type, LISP_MAP_REQUEST);
    return g_inner.u.mreq.nonce;
}

void xh_reply(lisp_time_t now, uint64_t nonce, unsigned n, const xh_record *recs)
{
    static lisp_msg m;
    static lisp_locator l[LISP_MAX_LOCATORS];
    static lisp_record rec[LISP_MAX_RECORDS];
    static uint8_t wire[4096];
    lisp_endpoint src = lt_endpoint("203.0.113.10", LISP_CONTROL_PORT);
    lisp_endpoint dst = lt_endpoint("192.0.2.1", LISP_CONTROL_PORT);
    unsigned i, j, used = 0;
    size_t len;

    memset(&m, 0, sizeof m);
    m.type = LISP_MAP_REPLY;
    m.u.mrep.nonce = nonce;
    m.u.mrep.record_count = (uint8_t)n;
    m.u.mrep.records = rec;
    for (i = 0; i < n; i++) {
        memset(&rec[i], 0, sizeof rec[i]);
        rec[i].ttl = recs[i].ttl;
        rec[i].action = recs[i].action;
        rec[i].eid = lisp_mapcache_prefix_to_wire(&recs[i].eid, false);
        rec[i].loc_count = (uint8_t)recs[i].n_locs;
        rec[i].locators = &l[used];
        for (j = 0; j < recs[i].n_locs; j++)
            l[used + j] = lisp_mapcache_loc_to_wire(&recs[i].locs[j], recs[i].locs[j].flags);
        used += recs[i].n_locs;
    }
    lt_assert_ok(lisp_msg_encode(&m, wire, sizeof wire, &len));
    lt_assert_ok(xh_udp(now, &src, &dst, 0, 0, wire, len));
}

void xh_reply_site_b(lisp_time_t now, uint64_t nonce)
{
    static lisp_mapcache_loc locs[2];
    xh_record r = {lt_eid("10.2.0.0", 16, 0), 10, 0, 2, locs};

    locs[0] = xh_rloc("198.51.100.1", 1, 50);
    locs[1] = xh_rloc("198.51.100.2", 1, 50);
    xh_reply(now, nonce, 1, &r);
}

void xh_notify(lisp_time_t now, uint64_t nonce, const char *key, const char *from, bool ours_only)
{
    static lisp_msg m;
    static uint8_t wire[2048];
    lisp_endpoint src = lt_endpoint(from, LISP_CONTROL_PORT);
    lisp_endpoint dst = lt_endpoint("192.0.2.1", LISP_CONTROL_PORT);
    size_t len;

    lt_sample_map_register(&m, LISP_MAP_NOTIFY, 0, LISP_KEY_ID_HMAC_SHA1_96, 20);
    m.u.mreg.nonce = nonce;
    if (ours_only)
        m.u.mreg.record_count = 1; /* 10.1.0.0/16 */
    len = lt_encode_signed(&m, (const uint8_t *)key, strlen(key), wire, sizeof wire);
    lt_assert_ok(xh_udp(now, &src, &dst, 0, 0, wire, len));
}

void xh_data(lisp_time_t now, const char *outer_src, uint8_t outer_ttl, uint8_t outer_tos,
             const char *inner_src, const char *inner_dst, uint8_t inner_ttl, uint8_t inner_tos,
             bool with_lsb, uint32_t lsb)
{
    uint8_t buf[1600];
    lisp_data_hdr h;
    lisp_endpoint src = lt_endpoint(outer_src, 52000);
    lisp_endpoint dst = lt_endpoint("192.0.2.1", LISP_DATA_PORT);
    size_t len;

    memset(&h, 0, sizeof h);
    h.flags = LISP_DATA_F_N | (with_lsb ? LISP_DATA_F_L : 0);
    h.nonce = 0xABCDEF;
    h.lsb = lsb;
    lt_assert_ok(lisp_data_encode(&h, buf));
    len = xh_ip_packet(buf + LISP_DATA_HDR_LEN, inner_src, inner_dst, 7, inner_ttl, inner_tos);
    lt_assert_ok(xh_udp(now, &src, &dst, outer_ttl, outer_tos, buf, len + LISP_DATA_HDR_LEN));
}

int xh_locator(lisp_time_t now, uint8_t kind, const char *addr, const char *old_addr,
               uint32_t ifindex)
{
    lisp_locator_event ev;

    memset(&ev, 0, sizeof ev);
    ev.kind = kind;
    ev.ifindex = ifindex;
    if (addr)
        ev.addr = lt_endpoint(addr, 0);
    if (old_addr)
        ev.old_addr = lt_endpoint(old_addr, 0);
    ev.priority = 1;
    ev.weight = 100;
    return lisp_xtr_locator_event(g_x, now, &ev);
}

size_t xh_count_state(const char *machine, const char *from, const char *to, const char *event)
{
    size_t i, n = 0;

    for (i = 0; i < g_io.n_traces; i++) {
        const lisp_trace *t = &g_io.traces[i];
        if (t->kind != LISP_TRACE_STATE_CHANGE || strcmp(t->u.state.machine, machine) != 0)
            continue;
        if ((!from || strcmp(t->u.state.from, from) == 0) &&
            (!to || strcmp(t->u.state.to, to) == 0) &&
            (!event || strcmp(t->u.state.event, event) == 0))
            n++;
    }
    return n;
}

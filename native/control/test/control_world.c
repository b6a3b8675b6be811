/* control_world.c - the engines of the control-socket tests (control_world.h). */
#include "control_world.h"

#include <stdlib.h>
#include <string.h>

static const char site_b_key[] = "site-b-key";

/* The last datagram of a type the xTR sent. */
static const fake_packet *last_sent(uint8_t type)
{
    size_t i;

    for (i = g_io.n_sent; i-- > 0;)
        if (lisp_msg_peek_type(g_io.sent[i].data, g_io.sent[i].len) == type)
            return &g_io.sent[i];
    fail_msg("the xTR sent no message of type %u", type);
    return NULL;
}

static void build_xtr(cw_world *w)
{
    lisp_xtr_config c;

    xh_base_config(&c);
    c.n_rlocs = 2;
    c.rlocs[1] = xh_rloc("198.18.0.1", 2, 50);
    c.rloc_ifindex[1] = 1;
    fake_io_init(&g_io, 42);
    w->xtr = lisp_role_find("xtr")->create(&c, &g_io.host, T0);
    assert_non_null(w->xtr);
    g_x = lisp_xtr_from_engine(w->xtr);
    assert_non_null(g_x);
    /* Before the Map-Server answers: the registration round that counts is the new one. */
    assert_int_equal(xh_locator(T0, LISP_LOCATOR_DOWN, "198.18.0.1", NULL, 0), LISP_OK);
}

static void build_ms(cw_world *w, const char *role)
{
    static lisp_ms_prefix_config pa[1], pb[2];
    static lisp_ms_site_config sites[2];
    const lisp_role_desc *d = lisp_role_find(role);
    lisp_ms_config *mc;
    void *cfg;

    assert_non_null(d);
    cfg = calloc(1, d->config_size);
    assert_non_null(cfg);
    d->config_default(cfg);
    mc = strcmp(role, "ms+mr") == 0 ? &((lisp_ms_mr_config *)cfg)->ms : cfg;
    pa[0].prefix = lt_eid("10.1.0.0", 16, 0);
    pb[0].prefix = lt_eid("10.2.0.0", 16, 0);
    pb[1].prefix = lt_eid("10.20.0.0", 16, 0);
    pb[1].accept_more_specifics = true;
    memset(sites, 0, sizeof sites);
    sites[0].name = "site-a";
    sites[0].key_id = LISP_KEY_ID_HMAC_SHA1_96;
    sites[0].key = (const uint8_t *)XH_KEY;
    sites[0].key_len = strlen(XH_KEY);
    sites[0].prefixes = pa;
    sites[0].n_prefixes = 1;
    sites[1].name = "site-b";
    sites[1].key_id = LISP_KEY_ID_HMAC_SHA256_128;
    sites[1].key = (const uint8_t *)site_b_key;
    sites[1].key_len = strlen(site_b_key);
    sites[1].prefixes = pb;
    sites[1].n_prefixes = 2;
    sites[1].proxy_reply = true;
    mc->sites = sites;
    mc->n_sites = 2;
    fake_io_init(&w->ms_io, 7);
    w->ms = d->create(cfg, &w->ms_io.host, T0);
    free(cfg);
    assert_non_null(w->ms);
}

/* The xTR's latest Map-Register to the Map-Server, its Map-Notify back. */
static void register_xtr(cw_world *w)
{
    const fake_packet *reg = last_sent(LISP_MAP_REGISTER);
    lisp_endpoint ms = lt_endpoint("203.0.113.10", LISP_CONTROL_PORT);
    lisp_dgram d;

    memset(&d, 0, sizeof d);
    d.src = lt_endpoint("192.0.2.1", LISP_CONTROL_PORT);
    d.dst = ms;
    lt_assert_ok(lisp_engine_input(w->ms, T0 + MS(10), &d, reg->data, reg->len));
    assert_int_equal(w->ms_io.n_sent, 1);
    assert_int_equal(lisp_msg_peek_type(w->ms_io.sent[0].data, w->ms_io.sent[0].len),
                     LISP_MAP_NOTIFY);
    lt_assert_ok(
        xh_udp(T0 + MS(20), &ms, &d.src, 64, 0, w->ms_io.sent[0].data, w->ms_io.sent[0].len));
    assert_true(lisp_xtr_registered(g_x));
}

static void fill_mapcache(void)
{
    xh_record negative = {lt_eid("10.3.0.0", 16, 0), 15, LISP_ACT_NATIVELY_FORWARD, 0, NULL};

    fake_io_clear(&g_io);
    xh_eid(CW_NOW, "10.1.0.5", "10.2.0.9", 1234);
    xh_reply_site_b(CW_NOW, xh_sent_request_nonce(0));
    fake_io_clear(&g_io);
    xh_eid(CW_NOW, "10.1.0.5", "10.3.0.1", 1234);
    xh_reply(CW_NOW, xh_sent_request_nonce(0), 1, &negative);
    assert_int_equal(lisp_mapcache_count(lisp_xtr_mapcache(g_x)), 2);
}

void cw_build(cw_world *w, const char *ms_role)
{
    memset(w, 0, sizeof *w);
    build_xtr(w);
    build_ms(w, ms_role);
    register_xtr(w);
    fill_mapcache();
}

void cw_free(cw_world *w)
{
    lisp_engine_free(w->xtr);
    lisp_engine_free(w->ms);
    g_x = NULL;
    memset(w, 0, sizeof *w);
}

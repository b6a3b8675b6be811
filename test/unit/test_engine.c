/*
 * test_engine.c - unit tests for the host contract and the generic engine interface
 * (lisp_host.h, lisp_engine.h, lisp_trace.h): the role table, creating and driving every
 * role through lisp_engine_* alone, the ms+mr bundle, named counters, send failures, the
 * workspace (lent or the engine's own), and the trace and drop tables.
 */
#include <stdlib.h>
#include <string.h>

#include "lisp_counting_alloc.h"
#include "lisp_fake_io.h"
#include "lisp_mr.h"
#include "lisp_ms.h"
#include "lisp_test_util.h"
#include "lisp_workspace.h"
#include "lisp_xtr.h"

#define SEC(x) ((lisp_time_t)(x)*LISP_NS_PER_SEC)

static fake_io g_io;
static lisp_msg g_m;
static uint8_t g_wire[LISP_MSG_MAX];
static const uint8_t key[] = {'k', 'e', 'y'};

/* An ECM'd Map-Request for eid from the ITR 198.51.100.1 (inner source port 55555). */
static size_t ecm_request(uint64_t nonce, const char *eid)
{
    lisp_map_request *q = &g_m.u.mreq;
    lisp_afi_addr a = lt_ip(eid);

    memset(&g_m, 0, sizeof g_m);
    g_m.type = LISP_MAP_REQUEST;
    q->nonce = nonce;
    q->record_count = 1;
    q->records[0].mask_len = (uint8_t)lisp_afi_bits(a.afi);
    q->records[0].addr = lisp_addr_plain(a);
    q->itr_rlocs[q->itr_rloc_count++] = lt_addr("198.51.100.1");
    return lt_encode_ecm(&g_m, 0, "198.51.100.1", "10.99.0.1", 55555, g_wire, sizeof g_wire);
}

static lisp_dgram dgram(const char *from, uint16_t sport, const char *to, uint16_t dport)
{
    lisp_dgram d;
    memset(&d, 0, sizeof d);
    d.src = lt_endpoint(from, sport);
    d.dst = lt_endpoint(to, dport);
    d.ttl = 64;
    return d;
}

/* The value of counter group/name in e's list; fails when it is not listed. */
static uint64_t counter(const lisp_engine *e, const char *group, const char *name)
{
    lisp_stat stats[128];
    size_t n = lisp_engine_stats(e, stats, 128), i;

    assert_true(n <= 128);
    for (i = 0; i < n; i++)
        if (strcmp(stats[i].group, group) == 0 && strcmp(stats[i].name, name) == 0)
            return stats[i].value;
    fail_msg("no counter %s/%s", group, name);
    return 0;
}

static void test_role_table(void **state)
{
    const char *names[] = {"xtr", "ms", "mr", "ms+mr", "nat"};
    size_t i;

    (void)state;
    for (i = 0; i < 5; i++) {
        const lisp_role_desc *r = lisp_role_find(names[i]);
        assert_non_null(r);
        assert_string_equal(r->name, names[i]);
        assert_ptr_equal(lisp_role_at(i), r);
        assert_true(r->config_size > 0);
    }
    assert_null(lisp_role_at(5));
    assert_null(lisp_role_find("rtr"));
    assert_null(lisp_role_find(""));
}

static void test_trace_tables(void **state)
{
    int i, j;

    (void)state;
    assert_null(lisp_trace_kind_info(0));
    assert_null(lisp_trace_kind_info(LISP_TRACE_KIND_COUNT));
    assert_string_equal(lisp_trace_kind_name(LISP_TRACE_MAP_REQUEST_SENT), "map-request-sent");
    assert_string_equal(lisp_trace_kind_info(LISP_TRACE_ENCAP)->source, "Encapsulated");
    assert_string_equal(lisp_trace_kind_name(-1), "unknown");
    for (i = 1; i < LISP_TRACE_KIND_COUNT; i++) {
        const lisp_trace_kind_desc *a = lisp_trace_kind_info(i);
        assert_non_null(a);
        assert_true(a->name[0] && a->source[0] && a->help[0]);
        for (j = i + 1; j < LISP_TRACE_KIND_COUNT; j++) { /* ns-3 needs unique sources */
            assert_string_not_equal(a->name, lisp_trace_kind_info(j)->name);
            assert_string_not_equal(a->source, lisp_trace_kind_info(j)->source);
        }
    }
    assert_string_equal(lisp_drop_reason_name(LISP_DROP_NONE), "none");
    assert_string_equal(lisp_drop_reason_name(LISP_DROP_SEND_FAILED), "send-failed");
    assert_string_equal(lisp_drop_reason_name(LISP_DROP_REASON_COUNT), "unknown");
    for (i = 0; i < LISP_DROP_REASON_COUNT; i++)
        for (j = i + 1; j < LISP_DROP_REASON_COUNT; j++)
            assert_string_not_equal(lisp_drop_reason_name(i), lisp_drop_reason_name(j));
    assert_string_equal(lisp_role_name(LISP_ROLE_MS), "map-server");
    assert_string_equal(lisp_role_name(LISP_ROLE_NAT), "nat");
    assert_string_equal(lisp_trace_kind_info(LISP_TRACE_NAT_MAPPING_CREATED)->source,
                        "NatMappingCreated");
    assert_string_equal(lisp_drop_reason_name(LISP_DROP_NAT_FILTERED), "nat-filtered");
    assert_string_equal(lisp_locator_event_name(LISP_LOCATOR_CHANGED), "changed");
}

/* A Map-Resolver with no table, created by name and driven only through lisp_engine_*:
 * every EID gets a negative Map-Reply. */
static void test_mr_through_the_generic_interface(void **state)
{
    const lisp_role_desc *r = lisp_role_find("mr");
    lisp_mr_config cfg;
    lisp_engine *e;
    lisp_dgram d = dgram("198.51.100.1", 4342, "192.0.2.200", 4342);
    lisp_locator_event ev;
    size_t len;

    (void)state;
    fake_io_init(&g_io, 1);
    r->config_default(&cfg);
    e = r->create(&cfg, &g_io.host, 0);
    assert_non_null(e);
    assert_int_equal(e->ops->role, LISP_ROLE_MR);
    assert_int_equal(e->ops->ports, LISP_ENGINE_PORT_CONTROL);
    assert_false(e->ops->eid_side);
    assert_int_equal(lisp_engine_next_expiry(e), LISP_TIME_NEVER);

    len = ecm_request(0x1234, "10.7.0.1");
    lt_assert_ok(lisp_engine_input(e, SEC(1), &d, g_wire, len));
    assert_int_equal(g_io.n_sent, 1);
    lt_assert_endpoint(&g_io.sent[0].dst, "198.51.100.1", 55555);
    assert_int_equal(counter(e, "map-resolver", "negative_replies"), 1);
    assert_int_equal(counter(e, "map-resolver", "drop.malformed"), 0);

    /* Entry points a role does not have are refused, not crashed into. */
    memset(&ev, 0, sizeof ev);
    ev.kind = LISP_LOCATOR_DOWN;
    lt_assert_rc(lisp_engine_eid_input(e, SEC(1), NULL, g_wire, len), LISP_ERR_INVALID_ARG);
    lt_assert_rc(lisp_engine_locator_event(e, SEC(1), &ev), LISP_ERR_INVALID_ARG);
    lisp_engine_free(e);
    lisp_engine_free(NULL);
}

/* The host could not send: counted, traced, and the engine goes on. */
static void test_send_failure_is_counted(void **state)
{
    lisp_mr_config cfg;
    lisp_engine *e;
    lisp_dgram d = dgram("198.51.100.1", 4342, "192.0.2.200", 4342);
    const lisp_trace *t;
    size_t len;

    (void)state;
    fake_io_init(&g_io, 1);
    lisp_mr_config_default(&cfg);
    e = lisp_mr_engine(lisp_mr_new(&cfg, &g_io.host, 0));
    assert_non_null(e);
    g_io.send_result = LISP_ERR_INVALID_ARG;
    len = ecm_request(1, "10.7.0.1");
    lt_assert_ok(lisp_engine_input(e, SEC(1), &d, g_wire, len));
    assert_int_equal(g_io.n_sent, 0);
    assert_int_equal(counter(e, "map-resolver", "send_failed"), 1);
    assert_int_equal(counter(e, "map-resolver", "drop.send-failed"), 1);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_MAP_REPLY_SENT, 0), 0);
    t = fake_io_find_trace(&g_io, LISP_TRACE_DROP, 0);
    assert_non_null(t);
    assert_int_equal(t->reason, LISP_DROP_SEND_FAILED);
    assert_int_equal(t->role, LISP_ROLE_MR);
    lt_assert_endpoint(&t->peer, "198.51.100.1", 55555);

    g_io.send_result = LISP_OK; /* the next one goes out */
    lt_assert_ok(lisp_engine_input(e, SEC(2), &d, g_wire, len));
    assert_int_equal(g_io.n_sent, 1);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_MAP_REPLY_SENT, 0), 1);
    assert_int_equal(counter(e, "map-resolver", "send_failed"), 1);
    lisp_engine_free(e);
}

/* The ms+mr bundle: one engine, one port; Map-Registers reach the Map-Server, ECM
 * Map-Requests the Map-Resolver, which hands local EIDs to the Map-Server; traces name the
 * engine; the counters of both are listed; expiry follows the Map-Server. */
static void test_ms_mr_bundle(void **state)
{
    const lisp_role_desc *r = lisp_role_find("ms+mr");
    lisp_ms_prefix_config prefix;
    lisp_ms_site_config site;
    lisp_ms_mr_config cfg;
    lisp_engine *e;
    lisp_dgram d = dgram("198.51.100.1", 4342, "192.0.2.200", 4342);
    lisp_record rec;
    lisp_locator loc;
    size_t len, i;

    (void)state;
    fake_io_init(&g_io, 1);
    memset(&prefix, 0, sizeof prefix);
    prefix.prefix = lt_eid("10.1.0.0", 16, 0);
    memset(&site, 0, sizeof site);
    site.name = "a";
    site.key_id = LISP_KEY_ID_HMAC_SHA256_128;
    site.key = key;
    site.key_len = sizeof key;
    site.prefixes = &prefix;
    site.n_prefixes = 1;
    r->config_default(&cfg);
    cfg.ms.sites = &site;
    cfg.ms.n_sites = 1;
    e = r->create(&cfg, &g_io.host, 0);
    assert_non_null(e);
    assert_non_null(lisp_ms_mr_ms(e));
    assert_non_null(lisp_ms_mr_mr(e));
    assert_int_equal(lisp_engine_next_expiry(e), LISP_TIME_NEVER);

    /* A Map-Register (proxy reply wanted) goes to the Map-Server. */
    memset(&g_m, 0, sizeof g_m);
    g_m.type = LISP_MAP_REGISTER;
    g_m.u.mreg.flags = LISP_MREG_F_P;
    g_m.u.mreg.nonce = 7;
    g_m.u.mreg.key_id = LISP_KEY_ID_HMAC_SHA256_128;
    g_m.u.mreg.auth_len = lisp_auth_default_len(LISP_KEY_ID_HMAC_SHA256_128);
    g_m.u.mreg.record_count = 1;
    g_m.u.mreg.records = &rec;
    memset(&rec, 0, sizeof rec);
    rec.ttl = 10;
    rec.eid.mask_len = 16;
    rec.eid.addr = lt_addr("10.1.0.0");
    rec.loc_count = 1;
    rec.locators = &loc;
    memset(&loc, 0, sizeof loc);
    loc.priority = 1;
    loc.weight = 100;
    loc.flags = LISP_LOC_F_R;
    loc.addr = lt_addr("192.0.2.1");
    len = lt_encode_signed(&g_m, key, sizeof key, g_wire, sizeof g_wire);
    lt_assert_ok(lisp_engine_input(e, SEC(1), &d, g_wire, len));
    assert_int_equal(counter(e, "map-server", "records_accepted"), 1);
    assert_int_equal(lisp_engine_next_expiry(e), SEC(1) + 3 * 60 * LISP_NS_PER_SEC);

    /* An ECM Map-Request for it: through the Map-Resolver to the local Map-Server, which
     * answers as proxy. */
    fake_io_clear(&g_io);
    len = ecm_request(9, "10.1.2.3");
    lt_assert_ok(lisp_engine_input(e, SEC(2), &d, g_wire, len));
    assert_int_equal(counter(e, "map-resolver", "local"), 1);
    assert_int_equal(counter(e, "map-server", "proxy_replies"), 1);
    assert_int_equal(g_io.n_sent, 1);
    for (i = 0; i < g_io.n_traces; i++)
        if (g_io.traces[i].kind == LISP_TRACE_MAP_REPLY_SENT)
            assert_int_equal(g_io.traces[i].role, LISP_ROLE_MS);
    assert_int_equal(fake_io_count_traces(&g_io, LISP_TRACE_MAP_REPLY_SENT, 0), 1);

    /* The registration expires through the bundle's expiry. */
    lisp_engine_handle_expiry(e, SEC(1) + 3 * 60 * LISP_NS_PER_SEC);
    assert_int_equal(counter(e, "map-server", "registrations_expired"), 1);
    assert_int_equal(lisp_engine_next_expiry(e), LISP_TIME_NEVER);
    lisp_engine_free(e);
}

/* An xTR through the generic interface: both ports, an EID side; the accessors find it. */
static void test_xtr_role(void **state)
{
    const lisp_role_desc *r = lisp_role_find("xtr");
    lisp_xtr_config cfg;
    lisp_engine *e;

    (void)state;
    fake_io_init(&g_io, 1);
    r->config_default(&cfg);
    e = r->create(&cfg, &g_io.host, 0);
    assert_non_null(e);
    assert_int_equal(e->ops->role, LISP_ROLE_XTR);
    assert_int_equal(e->ops->ports, LISP_ENGINE_PORT_CONTROL | LISP_ENGINE_PORT_DATA);
    assert_true(e->ops->eid_side);
    assert_non_null(lisp_xtr_from_engine(e));
    assert_null(lisp_ms_mr_ms(e));
    lisp_engine_free(e);
}

/* A host that lends a workspace: the engine allocates none of its own; a host that lends
 * none: the engine allocates one on first need and returns it when freed. */
static void test_workspace_lent_or_own(void **state)
{
    lisp_counting_alloc counts;
    lisp_allocator a = lisp_counting_alloc_init(&counts);
    lisp_dgram d = dgram("198.51.100.1", 4342, "192.0.2.200", 4342);
    lisp_workspace *ws;
    lisp_mr_config cfg;
    lisp_engine *e;
    size_t len, idle;

    (void)state;
    fake_io_init(&g_io, 1);
    g_io.host.env.alloc = &a;
    lisp_mr_config_default(&cfg);

    ws = lisp_workspace_new(NULL);
    assert_non_null(ws);
    g_io.host.env.workspace = ws;
    e = lisp_mr_engine(lisp_mr_new(&cfg, &g_io.host, 0));
    assert_non_null(e);
    idle = counts.bytes;
    assert_true(idle < sizeof *ws); /* no buffer of its own */
    len = ecm_request(1, "10.7.0.1");
    lt_assert_ok(lisp_engine_input(e, SEC(1), &d, g_wire, len));
    assert_int_equal(counts.bytes, idle);
    lisp_engine_free(e);
    assert_int_equal(counts.bytes, 0);

    g_io.host.env.workspace = NULL;
    e = lisp_mr_engine(lisp_mr_new(&cfg, &g_io.host, 0));
    assert_int_equal(counts.bytes, idle);
    lt_assert_ok(lisp_engine_input(e, SEC(1), &d, g_wire, len));
    assert_true(counts.bytes >= idle + sizeof *ws);
    lisp_engine_free(e);
    assert_int_equal(counts.bytes, 0);
    lisp_workspace_free(ws);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_role_table),
        cmocka_unit_test(test_trace_tables),
        cmocka_unit_test(test_mr_through_the_generic_interface),
        cmocka_unit_test(test_send_failure_is_counted),
        cmocka_unit_test(test_ms_mr_bundle),
        cmocka_unit_test(test_xtr_role),
        cmocka_unit_test(test_workspace_lent_or_own),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

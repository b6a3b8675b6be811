/*
 * test_msg.c - unit tests for the LISP control-message codec: lisp_msg.c,
 * lisp_msg_map.c, lisp_msg_info.c, lisp_msg_ecm.c, lisp_record.c, lisp_error.c.
 *
 * Known answers are written out by hand from the RFC 9301 / draft-ermagan figures,
 * so that an encoder and decoder that agree on a wrong layout cannot pass.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lisp_test_util.h"

/* A lisp_msg is about 30 KiB: keep them off the stack. */
static lisp_msg g_in, g_out, g_inner, g_inner_out;
static uint8_t g_wire[LISP_MSG_MAX];
static uint8_t g_wire2[LISP_MSG_MAX];

static const uint8_t v6_db8_1[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

/* Encode m and require exactly want; decode want and require m back; full round trip. */
static void check_known_answer(const lisp_msg *m, const uint8_t *want, size_t want_len)
{
    size_t len = 0;
    uint8_t *exact;

    lt_assert_ok(lisp_msg_encode(m, g_wire, sizeof g_wire, &len));
    if (len != want_len || memcmp(g_wire, want, want_len) != 0) {
        lt_hexdump("encoded", g_wire, len);
        lt_hexdump("expected", want, want_len);
        fail_msg("encoding differs from the known answer");
    }
    exact = malloc(want_len);
    assert_non_null(exact);
    memcpy(exact, want, want_len);
    lt_assert_ok(lisp_msg_decode(&g_out, exact, want_len));
    lt_assert_msg_equal(m, &g_out);
    free(exact);
    lt_msg_roundtrip(m, &g_out, g_wire);
}

/* Decode a literal from an exactly-sized copy and expect an error. */
static void check_decode_error(const uint8_t *buf, size_t len, int want)
{
    uint8_t *exact = malloc(len ? len : 1);
    assert_non_null(exact);
    memcpy(exact, buf, len);
    lt_assert_rc(lisp_msg_decode(&g_out, exact, len), want);
    free(exact);
}

static lisp_locator make_loc(uint8_t prio, uint8_t weight, uint8_t mprio, uint8_t mweight,
                             uint16_t flags, lisp_addr addr)
{
    lisp_locator l;
    memset(&l, 0, sizeof l);
    l.priority = prio;
    l.weight = weight;
    l.mpriority = mprio;
    l.mweight = mweight;
    l.flags = flags;
    l.addr = addr;
    return l;
}

static lisp_prefix make_prefix(uint8_t mask_len, lisp_addr addr)
{
    lisp_prefix p;
    p.mask_len = mask_len;
    p.addr = addr;
    return p;
}

/* (IPv4, 'RTR') as lispers.net encodes an RTR's RLOC. */
static lisp_addr afi_list_rtr(const char *ip)
{
    lisp_addr a = lt_addr(ip);
    a.lcaf = LISP_LCAF_AFI_LIST;
    a.n_more = 1;
    a.more[0] = lisp_afi_name("RTR");
    return a;
}

static lisp_addr iid_addr(uint32_t iid, uint8_t mask_len, const char *ip)
{
    lisp_addr a = lisp_addr_iid(iid, lt_ip(ip));
    a.iid_mask_len = mask_len;
    return a;
}

/* Address variety used by the round-trip builders, indexed modulo its size. */
static lisp_addr addr_kind(unsigned i)
{
    switch (i % 6) {
    case 0:
        return lt_addr("192.0.2.1");
    case 1:
        return lt_addr("2001:db8::1");
    case 2:
        return iid_addr(0xFFFFFF, 24, "198.51.100.9");
    case 3:
        return afi_list_rtr("203.0.113.77");
    case 4:
        return lisp_addr_iid(1, lt_ip("2001:db8:ffff::2"));
    default:
        return lisp_addr_plain(lisp_afi_name("xtr.example"));
    }
}

/* EID-prefix variety: IPv4, IPv6, IID-wrapped IPv4 and IPv6, 0.0.0.0/0, AFI 0. */
static lisp_prefix prefix_kind(unsigned i)
{
    lisp_prefix none;

    switch (i % 6) {
    case 0:
        return make_prefix(24, lt_addr("10.1.2.0"));
    case 1:
        return make_prefix(64, lt_addr("2001:db8:1:2::"));
    case 2:
        return make_prefix(16, iid_addr(1000, 0, "10.9.0.0"));
    case 3:
        return make_prefix(128, iid_addr(7, 32, "2001:db8::7"));
    case 4:
        return make_prefix(0, lisp_addr_plain(lisp_afi_ipv4(0)));
    default:
        memset(&none, 0, sizeof none);
        return none;
    }
}

/* A record in m's pools with n_locs varied locators; returns the record. */
static lisp_record make_record(lisp_locator *locs, unsigned seed, unsigned n_locs)
{
    static const uint32_t ttls[] = {0, 1, 1440, 0xFFFFFFFFu};
    static const uint16_t versions[] = {0, 1, 0x800, 0xFFF};
    static const uint16_t loc_flags[] = {0, LISP_LOC_F_L, LISP_LOC_F_P, LISP_LOC_F_R,
                                         LISP_LOC_F_L | LISP_LOC_F_P | LISP_LOC_F_R};
    lisp_record r;
    unsigned i;

    memset(&r, 0, sizeof r);
    r.ttl = ttls[seed % 4];
    r.action = (uint8_t)(seed % 8);
    r.authoritative = seed % 2 == 0;
    r.map_version = versions[seed % 4];
    r.eid = prefix_kind(seed);
    r.loc_count = (uint8_t)n_locs;
    r.locators = n_locs ? locs : NULL;
    for (i = 0; i < n_locs; i++)
        locs[i] = make_loc((uint8_t)(i + 1), (uint8_t)(100 - i), (uint8_t)(255 - i),
                           (uint8_t)(i * 7), loc_flags[(seed + i) % 5], addr_kind(seed + i));
    return r;
}

/* ---------------------------------------------------------------------------------------- */
/* Map-Request                                                                              */
/* ---------------------------------------------------------------------------------------- */

static void test_map_request_known_answer_minimal(void **state)
{
    /* RFC 9301 5.2: one ITR-RLOC (IRC 0), one record, no source EID. */
    /* clang-format off */
    static const uint8_t want[] = {
        0x10, 0x00, 0x00, 0x01,                         /* Type 1, IRC 0, Record Count 1 */
        0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, /* Nonce */
        0x00, 0x00,                                     /* Source-EID-AFI 0 */
        0x00, 0x01, 0xc0, 0x00, 0x02, 0x01,             /* ITR-RLOC AFI 1: 192.0.2.1 */
        0x00, 0x18, 0x00, 0x01, 0x0a, 0x01, 0x02, 0x00, /* Reserved, mask 24, 10.1.2.0 */
    };
    /* clang-format on */
    lisp_map_request *q = &g_in.u.mreq;

    (void)state;
    memset(&g_in, 0, sizeof g_in);
    g_in.type = LISP_MAP_REQUEST;
    q->nonce = 0x0102030405060708ull;
    q->itr_rloc_count = 1;
    q->itr_rlocs[0] = lt_addr("192.0.2.1");
    q->record_count = 1;
    q->records[0] = make_prefix(24, lt_addr("10.1.2.0"));
    check_known_answer(&g_in, want, sizeof want);

    assert_int_equal(g_out.u.mreq.source_eid.a.afi, LISP_AFI_NONE);
    assert_int_equal(g_out.u.mreq.source_eid.lcaf, LISP_LCAF_NONE);
    assert_false(g_out.u.mreq.has_map_reply);
}

static void test_map_request_known_answer_flags(void **state)
{
    /* A, M, S, p, s, L, D set, P clear; IRC 1; IID source EID; Map-Reply record. */
    /* clang-format off */
    static const uint8_t want[] = {
        0x1d, 0xc0, 0x61, 0x01, /* Type 1 |A|M|.|S| p s | L D IRC=1 | 1 record */
        0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88,
        /* Source EID: LCAF IID 7, IID mask-len 24, length 10, 10.1.1.1 */
        0x40, 0x03, 0x00, 0x00, 0x02, 0x18, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x07,
        0x00, 0x01, 0x0a, 0x01, 0x01, 0x01,
        0x00, 0x01, 0xc0, 0x00, 0x02, 0x01, /* ITR-RLOC 192.0.2.1 */
        0x00, 0x02, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, /* ITR-RLOC 2001:db8::1 */
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x30, 0x00, 0x02, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, /* 2001:db8:1::/48 */
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        /* Map-Reply record: TTL 60, 1 locator, mask 48, ACT 1 + A, version 0xfff */
        0x00, 0x00, 0x00, 0x3c, 0x01, 0x30, 0x30, 0x00, 0x0f, 0xff,
        0x00, 0x02, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        /* Locator: priority 1, weight 100, M priority 255, M weight 0, L|p|R, 192.0.2.1 */
        0x01, 0x64, 0xff, 0x00, 0x00, 0x07, 0x00, 0x01, 0xc0, 0x00, 0x02, 0x01,
    };
    /* clang-format on */
    static const uint8_t v6_1[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1};
    lisp_map_request *q = &g_in.u.mreq;
    lisp_locator *loc = g_in.locator_pool;

    (void)state;
    memset(&g_in, 0, sizeof g_in);
    g_in.type = LISP_MAP_REQUEST;
    q->flags = LISP_MREQ_F_A | LISP_MREQ_F_S | LISP_MREQ_F_PITR | LISP_MREQ_F_SMR_INV |
               LISP_MREQ_F_L | LISP_MREQ_F_D;
    q->nonce = 0xffeeddccbbaa9988ull;
    q->source_eid = iid_addr(7, 24, "10.1.1.1");
    q->itr_rloc_count = 2;
    q->itr_rlocs[0] = lt_addr("192.0.2.1");
    q->itr_rlocs[1] = lisp_addr_plain(lisp_afi_ipv6(v6_db8_1));
    q->record_count = 1;
    q->records[0] = make_prefix(48, lisp_addr_plain(lisp_afi_ipv6(v6_1)));
    q->has_map_reply = true;
    q->map_reply.ttl = 60;
    q->map_reply.action = LISP_ACT_NATIVELY_FORWARD;
    q->map_reply.authoritative = true;
    q->map_reply.map_version = 0xFFF;
    q->map_reply.eid = q->records[0];
    q->map_reply.loc_count = 1;
    q->map_reply.locators = loc;
    loc[0] = make_loc(1, 100, 255, 0, LISP_LOC_FLAGS, lt_addr("192.0.2.1"));
    check_known_answer(&g_in, want, sizeof want);
    assert_int_equal(g_out.u.mreq.flags, q->flags | LISP_MREQ_F_M);
}

/* One Map-Request with several ITR-RLOCs and records of every kind. */
static void build_map_request(lisp_msg *m, uint32_t flags, bool with_reply, unsigned n_itr,
                              unsigned n_rec, unsigned n_reply_locs)
{
    lisp_map_request *q = &m->u.mreq;
    unsigned i;

    memset(m, 0, sizeof *m);
    m->type = LISP_MAP_REQUEST;
    q->flags = flags;
    q->nonce = 0x8000000000000001ull ^ flags;
    q->source_eid = n_itr % 2 ? lisp_addr_plain(lisp_afi_ipv4(0)) : addr_kind(n_itr);
    if (n_itr == 3)
        memset(&q->source_eid, 0, sizeof q->source_eid); /* AFI 0 */
    q->itr_rloc_count = (uint8_t)n_itr;
    for (i = 0; i < n_itr; i++)
        q->itr_rlocs[i] = addr_kind(i);
    q->record_count = (uint8_t)n_rec;
    for (i = 0; i < n_rec; i++)
        q->records[i] = prefix_kind(i);
    q->has_map_reply = with_reply;
    if (with_reply)
        q->map_reply = make_record(m->locator_pool, 5, n_reply_locs);
}

static void test_map_request_roundtrip(void **state)
{
    static const uint32_t flag_sets[] = {
        0,
        LISP_MREQ_F_A,
        LISP_MREQ_F_P,
        LISP_MREQ_F_S,
        LISP_MREQ_F_PITR,
        LISP_MREQ_F_SMR_INV,
        LISP_MREQ_F_L,
        LISP_MREQ_F_D,
        LISP_MREQ_F_P | LISP_MREQ_F_S,
        LISP_MREQ_FLAGS & ~LISP_MREQ_F_M,
    };
    unsigned f, reply;

    (void)state;
    for (f = 0; f < sizeof flag_sets / sizeof flag_sets[0]; f++)
        for (reply = 0; reply < 2; reply++) {
            build_map_request(&g_in, flag_sets[f], reply, 1 + f % 6, 1 + f % 5, f % 4);
            lt_msg_roundtrip(&g_in, &g_out, g_wire);
            assert_int_equal(g_out.u.mreq.flags & ~LISP_MREQ_F_M, flag_sets[f]);
        }
    /* Several ITR-RLOCs and records at once, and no records at all. */
    build_map_request(&g_in, LISP_MREQ_F_A, true, 6, 5, 6);
    lt_msg_roundtrip(&g_in, &g_out, g_wire);
    build_map_request(&g_in, 0, false, 3, 0, 0);
    lt_msg_roundtrip(&g_in, &g_out, g_wire);
}

static void test_map_request_itr_rloc_counts(void **state)
{
    unsigned n;

    (void)state;
    for (n = 1; n <= LISP_MAX_ITR_RLOCS; n++) {
        build_map_request(&g_in, 0, false, n, 1, 0);
        lt_msg_roundtrip(&g_in, &g_out, g_wire);
        assert_int_equal(g_wire[2] & 0x1f, n - 1); /* IRC is the count minus one */
        assert_int_equal(g_out.u.mreq.itr_rloc_count, n);
    }
    build_map_request(&g_in, 0, false, 1, LISP_MAX_RECORDS, 0);
    lt_msg_roundtrip(&g_in, &g_out, g_wire);
    assert_int_equal(g_wire[3], LISP_MAX_RECORDS);
}

static void test_map_request_m_bit_follows_has_map_reply(void **state)
{
    size_t len;

    (void)state;
    lt_sample_map_request(&g_in);
    g_in.u.mreq.flags = LISP_MREQ_F_M; /* M without a record is not sent */
    lt_assert_ok(lisp_msg_encode(&g_in, g_wire, sizeof g_wire, &len));
    assert_int_equal(g_wire[0], 0x10);
    lt_assert_ok(lisp_msg_decode(&g_out, g_wire, len));
    assert_false(g_out.u.mreq.has_map_reply);
    assert_int_equal(g_out.u.mreq.flags, 0);
}

/* ---------------------------------------------------------------------------------------- */
/* Map-Reply                                                                                */
/* ---------------------------------------------------------------------------------------- */

static void test_map_reply_known_answer(void **state)
{
    /* clang-format off */
    static const uint8_t want[] = {
        0x2e, 0x00, 0x00, 0x01, /* Type 2 |P|E|S|, 1 record */
        0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8,
        /* Record TTL 1440, 1 locator, mask 24, ACT 3 (drop) + A, map-version 1, 10.1.2.0 */
        0x00, 0x00, 0x05, 0xa0, 0x01, 0x18, 0x70, 0x00, 0x00, 0x01,
        0x00, 0x01, 0x0a, 0x01, 0x02, 0x00,
        /* Locator priority 1, weight 100, M priority 255, M weight 7, L|R, 192.0.2.1 */
        0x01, 0x64, 0xff, 0x07, 0x00, 0x05, 0x00, 0x01, 0xc0, 0x00, 0x02, 0x01,
    };
    /* clang-format on */
    lisp_map_reply *p = &g_in.u.mrep;
    lisp_record *r = g_in.record_pool;

    (void)state;
    memset(&g_in, 0, sizeof g_in);
    g_in.type = LISP_MAP_REPLY;
    p->flags = LISP_MREP_F_P | LISP_MREP_F_E | LISP_MREP_F_S;
    p->nonce = 0xa1a2a3a4a5a6a7a8ull;
    p->record_count = 1;
    p->records = r;
    r->ttl = 1440;
    r->action = LISP_ACT_DROP_NO_REASON;
    r->authoritative = true;
    r->map_version = 1;
    r->eid = make_prefix(24, lt_addr("10.1.2.0"));
    r->loc_count = 1;
    r->locators = g_in.locator_pool;
    g_in.locator_pool[0] =
        make_loc(1, 100, 255, 7, LISP_LOC_F_L | LISP_LOC_F_R, lt_addr("192.0.2.1"));
    check_known_answer(&g_in, want, sizeof want);
}

static void build_map_reply(lisp_msg *m, uint32_t flags, unsigned n_rec, unsigned n_locs)
{
    lisp_map_reply *p = &m->u.mrep;
    unsigned i;

    memset(m, 0, sizeof *m);
    m->type = LISP_MAP_REPLY;
    p->flags = flags;
    p->nonce = 0x0102030405060708ull * (n_rec + 1);
    p->record_count = (uint8_t)n_rec;
    p->records = m->record_pool;
    for (i = 0; i < n_rec; i++)
        m->record_pool[i] = make_record(m->locator_pool + i * n_locs, i + n_locs, n_locs);
}

static void test_map_reply_roundtrip(void **state)
{
    static const uint32_t flag_sets[] = {0, LISP_MREP_F_P, LISP_MREP_F_E, LISP_MREP_F_S,
                                         LISP_MREP_FLAGS};
    unsigned f, n_rec, n_locs;

    (void)state;
    for (f = 0; f < sizeof flag_sets / sizeof flag_sets[0]; f++)
        for (n_rec = 0; n_rec <= 4; n_rec++)
            for (n_locs = 0; n_locs <= 3; n_locs++) {
                build_map_reply(&g_in, flag_sets[f], n_rec, n_locs);
                lt_msg_roundtrip(&g_in, &g_out, g_wire);
            }
}

static void test_map_reply_record_fields(void **state)
{
    unsigned action;

    (void)state;
    /* Every action, with and without A, and the extreme TTL and map-version values. */
    for (action = 0; action < 8; action++) {
        build_map_reply(&g_in, 0, 1, 0);
        g_in.record_pool[0].action = (uint8_t)action;
        g_in.record_pool[0].authoritative = action & 1;
        g_in.record_pool[0].ttl = action == 7 ? 0xFFFFFFFFu : action;
        g_in.record_pool[0].map_version = action == 7 ? 0xFFF : (uint16_t)(action << 8);
        lt_msg_roundtrip(&g_in, &g_out, g_wire);
        assert_int_equal(g_wire[12 + 6] >> 5, action);
        assert_int_equal((g_wire[12 + 6] >> 4) & 1, action & 1);
    }
    /* Every locator byte value lands where it belongs. */
    build_map_reply(&g_in, 0, 1, 1);
    g_in.locator_pool[0] = make_loc(0xfe, 0x01, 0x80, 0x7f, LISP_LOC_F_P, lt_addr("192.0.2.99"));
    lt_msg_roundtrip(&g_in, &g_out, g_wire);
    assert_int_equal(g_out.locator_pool[0].priority, 0xfe);
    assert_int_equal(g_out.locator_pool[0].weight, 0x01);
    assert_int_equal(g_out.locator_pool[0].mpriority, 0x80);
    assert_int_equal(g_out.locator_pool[0].mweight, 0x7f);
    assert_int_equal(g_out.locator_pool[0].flags, LISP_LOC_F_P);
}

static void test_map_reply_max_records_and_locators(void **state)
{
    (void)state;
    /* Exactly at the decoder bounds: 32 records, 2 locators each = 64 locators. */
    build_map_reply(&g_in, 0, LISP_MAX_RECORDS, LISP_MAX_LOCATORS / LISP_MAX_RECORDS);
    lt_msg_roundtrip(&g_in, &g_out, g_wire);
    /* 64 locators in one record. */
    build_map_reply(&g_in, 0, 1, LISP_MAX_LOCATORS);
    lt_msg_roundtrip(&g_in, &g_out, g_wire);
}

/* ---------------------------------------------------------------------------------------- */
/* Map-Register, Map-Notify, Map-Notify-Ack                                                 */
/* ---------------------------------------------------------------------------------------- */

/* The first record of lt_sample_map_register, reduced to one locator, as bytes. */
/* clang-format off */
#define SAMPLE_RECORD_1LOC                                                                       \
    0x00, 0x00, 0x05, 0xa0, 0x01, 0x10, 0x10, 0x00, 0x00, 0x00, /* TTL 1440, 1 loc, /16, A */    \
        0x00, 0x01, 0x0a, 0x01, 0x00, 0x00,                     /* 10.1.0.0 */                   \
        0x01, 0x32, 0xff, 0x00, 0x00, 0x05,                     /* prio 1, weight 50, L|R */    \
        0x00, 0x01, 0xc0, 0x00, 0x02, 0x01                      /* 192.0.2.1 */
/* clang-format on */
/* clang-format off */
#define SAMPLE_XTR_SITE_ID                                                                       \
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e,    \
        0x0f, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7
/* clang-format on */
#define ZEROS_20 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0

static void sample_one_record(lisp_msg *m, uint8_t type, uint32_t flags, uint16_t key_id,
                              uint16_t auth_len)
{
    lt_sample_map_register(m, type, flags, key_id, auth_len);
    m->u.mreg.record_count = 1;
    m->record_pool[0].loc_count = 1;
}

static void test_map_register_known_answer(void **state)
{
    /* clang-format off */
    static const uint8_t want[] = {
        0x3b, 0x00, 0x01, 0x01, /* Type 3 |P|.|I|R|, M, 1 record */
        0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
        0x00, 0x01, 0x00, 0x14, /* Key ID 1, Authentication Data Length 20 */
        ZEROS_20,
        SAMPLE_RECORD_1LOC,
        SAMPLE_XTR_SITE_ID,
    };
    /* clang-format on */

    (void)state;
    sample_one_record(&g_in, LISP_MAP_REGISTER,
                      LISP_MREG_F_P | LISP_MREG_F_I | LISP_MREG_F_R | LISP_MREG_F_M,
                      LISP_KEY_ID_HMAC_SHA1_96, 20);
    check_known_answer(&g_in, want, sizeof want);
}

static void test_map_notify_known_answer(void **state)
{
    static const uint8_t msrtr[20] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
                                      11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
    /* clang-format off */
    static const uint8_t want[] = {
        0x4c, 0x00, 0x00, 0x01, /* Type 4 |I|R|, 1 record */
        0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
        0x00, 0x00, 0x00, 0x00, /* no authentication */
        SAMPLE_RECORD_1LOC,
        SAMPLE_XTR_SITE_ID,
        0x00, 0x01, 0x00, 0x14, /* MS-RTR Key ID 1, length 20 */
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
    };
    /* clang-format on */
    /* clang-format off */
    static const uint8_t want_ack[] = {
        0x50, 0x00, 0x00, 0x00, /* Type 5, no records */
        0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
        0x00, 0x02, 0x00, 0x10, /* Key ID 2, length 16 */
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    };
    /* clang-format on */

    (void)state;
    sample_one_record(&g_in, LISP_MAP_NOTIFY, LISP_MNOT_F_I | LISP_MNOT_F_R, 0, 0);
    g_in.u.mreg.msrtr_key_id = LISP_KEY_ID_HMAC_SHA1_96;
    g_in.u.mreg.msrtr_auth_len = 20;
    g_in.u.mreg.msrtr_auth = msrtr;
    check_known_answer(&g_in, want, sizeof want);

    lt_sample_map_register(&g_in, LISP_MAP_NOTIFY_ACK, 0, LISP_KEY_ID_HMAC_SHA256_128, 16);
    g_in.u.mreg.record_count = 0;
    check_known_answer(&g_in, want_ack, sizeof want_ack);
}

static void test_map_register_roundtrip(void **state)
{
    static const uint32_t flag_sets[] = {
        0,
        LISP_MREG_F_P,
        LISP_MREG_F_S,
        LISP_MREG_F_I,
        LISP_MREG_F_R,
        LISP_MREG_F_M,
        LISP_MREG_FLAGS,
    };
    static const struct {
        uint16_t key_id, len;
    } keys[] = {{0, 0}, {1, 20}, {2, 32}, {1, 12}, {2, 16}};
    static uint8_t auth[LISP_AUTH_MAX];
    unsigned f, k, n_rec, i;

    (void)state;
    for (i = 0; i < sizeof auth; i++)
        auth[i] = (uint8_t)(0xC0 + i);
    for (f = 0; f < sizeof flag_sets / sizeof flag_sets[0]; f++)
        for (k = 0; k < sizeof keys / sizeof keys[0]; k++)
            for (n_rec = 0; n_rec <= 2; n_rec++) {
                lt_sample_map_register(&g_in, LISP_MAP_REGISTER, flag_sets[f], keys[k].key_id,
                                       keys[k].len);
                g_in.u.mreg.record_count = (uint8_t)n_rec;
                if (k % 2)
                    g_in.u.mreg.auth = auth; /* real bytes as well as zeros */
                lt_msg_roundtrip(&g_in, &g_out, g_wire);
            }
    /* Without the I bit, the xTR-ID and site-ID are not sent: 24 bytes fewer. */
    lt_sample_map_register(&g_in, LISP_MAP_REGISTER, LISP_MREG_F_I, 1, 20);
    n_rec = (unsigned)lt_msg_roundtrip(&g_in, &g_out, g_wire);
    lt_sample_map_register(&g_in, LISP_MAP_REGISTER, 0, 1, 20);
    assert_int_equal(lt_msg_roundtrip(&g_in, &g_out, g_wire) + 24, n_rec);
}

static void test_map_notify_roundtrip(void **state)
{
    static const uint32_t flag_sets[] = {0, LISP_MNOT_F_I, LISP_MNOT_F_R, LISP_MNOT_FLAGS};
    static const uint8_t msrtr[32] = {0xde, 0xad, 0xbe, 0xef};
    unsigned f, n_rec;
    size_t with_r, without_r;

    (void)state;
    for (f = 0; f < sizeof flag_sets / sizeof flag_sets[0]; f++)
        for (n_rec = 0; n_rec <= 2; n_rec++) {
            lt_sample_map_register(&g_in, LISP_MAP_NOTIFY, flag_sets[f], 2, 32);
            g_in.u.mreg.record_count = (uint8_t)n_rec;
            g_in.u.mreg.msrtr_key_id = (uint16_t)(1 + f % 2);
            g_in.u.mreg.msrtr_auth_len = f % 2 ? 32 : 20;
            g_in.u.mreg.msrtr_auth = n_rec == 1 ? msrtr : NULL;
            lt_msg_roundtrip(&g_in, &g_out, g_wire);

            lt_sample_map_register(&g_in, LISP_MAP_NOTIFY_ACK, flag_sets[f] & LISP_MNOT_F_I, 1,
                                   20);
            g_in.u.mreg.record_count = (uint8_t)n_rec;
            lt_msg_roundtrip(&g_in, &g_out, g_wire);
        }

    /* The MS-RTR block exists in a Map-Notify with R only, not in a Map-Notify-Ack. */
    lt_sample_map_register(&g_in, LISP_MAP_NOTIFY, LISP_MNOT_F_R, 1, 20);
    g_in.u.mreg.msrtr_key_id = 1;
    g_in.u.mreg.msrtr_auth_len = 20;
    with_r = lt_msg_roundtrip(&g_in, &g_out, g_wire);
    lt_sample_map_register(&g_in, LISP_MAP_NOTIFY, 0, 1, 20);
    without_r = lt_msg_roundtrip(&g_in, &g_out, g_wire);
    assert_int_equal(with_r, without_r + 4 + 20);
    /* A Map-Notify-Ack has no R bit at all: it is neither sent nor read. */
    lt_sample_map_register(&g_in, LISP_MAP_NOTIFY_ACK, LISP_MNOT_F_R, 1, 20);
    g_in.u.mreg.msrtr_auth_len = 20;
    lt_assert_ok(lisp_msg_encode(&g_in, g_wire, sizeof g_wire, &with_r));
    assert_int_equal(with_r, without_r);
    assert_int_equal(g_wire[0] & 0x04, 0); /* R is 0x04000000 */
    g_wire[0] |= 0x04;
    lt_assert_ok(lisp_msg_decode(&g_out, g_wire, with_r));
    assert_int_equal(g_out.u.mreg.flags, 0);
    assert_int_equal(g_out.u.mreg.msrtr_auth_len, 0);
}

/* ---------------------------------------------------------------------------------------- */
/* Encapsulated Control Message                                                             */
/* ---------------------------------------------------------------------------------------- */

/* clang-format off */
static const uint8_t kat_map_request[] = {
    0x10, 0x00, 0x00, 0x01, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x00, 0x00,
    0x00, 0x01, 0xc0, 0x00, 0x02, 0x01, 0x00, 0x18, 0x00, 0x01, 0x0a, 0x01, 0x02, 0x00,
};
/* clang-format on */

/* ECM M|R, inner IPv4 10.1.1.1 -> 10.2.0.1, TTL 64, UDP 4342 -> 4342, carrying
 * kat_map_request. Checksums computed independently (RFC 1071, by a script):
 * IPv4 header 0x65b1, UDP 0xda83. */
/* clang-format off */
static const uint8_t kat_ecm[] = {
    0x81, 0x40, 0x00, 0x00, /* Type 8 |.|.|.|M|, R */
    0x45, 0x00, 0x00, 0x38, 0x00, 0x00, 0x00, 0x00, 0x40, 0x11, 0x65, 0xb1,
    0x0a, 0x01, 0x01, 0x01, 0x0a, 0x02, 0x00, 0x01,
    0x10, 0xf6, 0x10, 0xf6, 0x00, 0x24, 0xda, 0x83,
    0x10, 0x00, 0x00, 0x01, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x00, 0x00,
    0x00, 0x01, 0xc0, 0x00, 0x02, 0x01, 0x00, 0x18, 0x00, 0x01, 0x0a, 0x01, 0x02, 0x00,
};
/* clang-format on */

static void build_ecm(lisp_msg *m, uint32_t flags, uint16_t afi, const uint8_t *payload,
                      size_t payload_len)
{
    lisp_ecm *e = &m->u.ecm;
    lisp_afi_addr src = lt_ip(afi == LISP_AFI_IPV4 ? "10.1.1.1" : "2001:db8::1");
    lisp_afi_addr dst = lt_ip(afi == LISP_AFI_IPV4 ? "10.2.0.1" : "2001:db8:1::1");

    memset(m, 0, sizeof *m);
    m->type = LISP_ECM;
    e->flags = flags;
    e->inner.afi = afi;
    memcpy(e->inner.src, src.ip, 16);
    memcpy(e->inner.dst, dst.ip, 16);
    e->inner.sport = 61000;
    e->inner.dport = LISP_CONTROL_PORT;
    e->inner.ttl = 64;
    e->inner.tos = 0x28;
    e->payload = payload;
    e->payload_len = payload_len;
}

static void test_ecm_known_answer(void **state)
{
    lisp_ecm *e = &g_in.u.ecm;

    (void)state;
    build_ecm(&g_in, LISP_ECM_F_M | LISP_ECM_F_R, LISP_AFI_IPV4, kat_map_request,
              sizeof kat_map_request);
    e->inner.sport = LISP_CONTROL_PORT;
    e->inner.tos = 0;
    check_known_answer(&g_in, kat_ecm, sizeof kat_ecm);
    lt_assert_ok(lisp_msg_decode(&g_inner_out, g_out.u.ecm.payload, g_out.u.ecm.payload_len));
    assert_int_equal(g_inner_out.type, LISP_MAP_REQUEST);
    assert_int_equal(g_inner_out.u.mreq.nonce, 0x0102030405060708ull);
}

static void test_ecm_roundtrip(void **state)
{
    static const uint32_t flag_sets[] = {
        0,
        LISP_ECM_F_S,
        LISP_ECM_F_D,
        LISP_ECM_F_E,
        LISP_ECM_F_M,
        LISP_ECM_F_R,
        LISP_ECM_F_N,
        LISP_ECM_F_R | LISP_ECM_F_N,
        LISP_ECM_FLAGS,
    };
    static const uint16_t afis[] = {LISP_AFI_IPV4, LISP_AFI_IPV6};
    unsigned f, a;
    size_t inner_len;

    (void)state;
    for (a = 0; a < 2; a++)
        for (f = 0; f < sizeof flag_sets / sizeof flag_sets[0]; f++) {
            /* A different Map-Request every time: with and without a Map-Reply record. */
            build_map_request(&g_inner, f % 2 ? LISP_MREQ_F_S : 0, f % 2, 1 + f % 4, 1 + f % 3,
                              f % 3);
            lt_assert_ok(lisp_msg_encode(&g_inner, g_wire2, sizeof g_wire2, &inner_len));
            build_ecm(&g_in, flag_sets[f], afis[a], g_wire2, inner_len);
            lt_msg_roundtrip(&g_in, &g_out, g_wire);
            assert_int_equal(g_wire[4] >> 4, afis[a] == LISP_AFI_IPV4 ? 4 : 6);
            /* The inner message decodes back to what was wrapped. */
            lt_assert_ok(
                lisp_msg_decode(&g_inner_out, g_out.u.ecm.payload, g_out.u.ecm.payload_len));
            lt_assert_msg_equal(&g_inner, &g_inner_out);
        }
}

static void test_ecm_flag_bits(void **state)
{
    static const struct {
        uint32_t flag;
        uint8_t byte0, byte1;
    } bits[] = {
        {LISP_ECM_F_S, 0x88, 0x00}, {LISP_ECM_F_D, 0x84, 0x00}, {LISP_ECM_F_E, 0x82, 0x00},
        {LISP_ECM_F_M, 0x81, 0x00}, {LISP_ECM_F_R, 0x80, 0x40}, {LISP_ECM_F_N, 0x80, 0x20},
    };
    size_t i, len;

    (void)state;
    for (i = 0; i < sizeof bits / sizeof bits[0]; i++) {
        build_ecm(&g_in, bits[i].flag, LISP_AFI_IPV4, kat_map_request, sizeof kat_map_request);
        lt_assert_ok(lisp_msg_encode(&g_in, g_wire, sizeof g_wire, &len));
        assert_int_equal(g_wire[0], bits[i].byte0);
        assert_int_equal(g_wire[1], bits[i].byte1);
        assert_int_equal(g_wire[2], 0);
        assert_int_equal(g_wire[3], 0);
    }
}

static void test_ecm_inner_errors(void **state)
{
    uint8_t buf[sizeof kat_ecm];
    size_t len;

    (void)state;
    /* Corrupt IPv4 header checksum, UDP checksum, and a payload byte. */
    memcpy(buf, kat_ecm, sizeof buf);
    buf[4 + 11] ^= 0x01;
    check_decode_error(buf, sizeof buf, LISP_ERR_CHECKSUM);
    memcpy(buf, kat_ecm, sizeof buf);
    buf[4 + 27] ^= 0x80;
    check_decode_error(buf, sizeof buf, LISP_ERR_CHECKSUM);
    memcpy(buf, kat_ecm, sizeof buf);
    buf[sizeof buf - 1] ^= 0x01;
    check_decode_error(buf, sizeof buf, LISP_ERR_CHECKSUM);
    /* A changed source address breaks both checksums; the IP header is checked first. */
    memcpy(buf, kat_ecm, sizeof buf);
    buf[4 + 12] = 0x0b;
    check_decode_error(buf, sizeof buf, LISP_ERR_CHECKSUM);
    /* No UDP checksum is allowed over IPv4. */
    memcpy(buf, kat_ecm, sizeof buf);
    buf[4 + 26] = buf[4 + 27] = 0;
    lt_assert_ok(lisp_msg_decode(&g_out, buf, sizeof buf));
    /* Inner IP version 5. */
    memcpy(buf, kat_ecm, sizeof buf);
    buf[4] = 0x55;
    check_decode_error(buf, sizeof buf, LISP_ERR_BAD_VALUE);

    /* Over IPv6 the UDP checksum is mandatory, and must verify. */
    build_ecm(&g_in, 0, LISP_AFI_IPV6, kat_map_request, sizeof kat_map_request);
    lt_assert_ok(lisp_msg_encode(&g_in, g_wire, sizeof g_wire, &len));
    g_wire[4 + 46] ^= 0x10;
    check_decode_error(g_wire, len, LISP_ERR_CHECKSUM);
    g_wire[4 + 46] = g_wire[4 + 47] = 0;
    check_decode_error(g_wire, len, LISP_ERR_CHECKSUM);
}

/* ---------------------------------------------------------------------------------------- */
/* Info-Request / Info-Reply                                                                */
/* ---------------------------------------------------------------------------------------- */

/* clang-format off */
#define INFO_HEAD_KEY1                                                                           \
    0x0b, 0xad, 0xc0, 0xff, 0xee, 0x00, 0x00, 0x01, /* nonce */                                 \
        0x00, 0x01, 0x00, 0x14, ZEROS_20,           /* Key ID 1, 20 bytes */                    \
        0x00, 0x00, 0x05, 0xa0,                     /* TTL 1440 */                              \
        0x00, 0x10, 0x00, 0x01, 0x0a, 0x01, 0x00, 0x00 /* Reserved, mask 16, 10.1.0.0 */
/* clang-format on */
/* clang-format off */
#define INFO_HEAD_NOAUTH                                                                         \
    0x0b, 0xad, 0xc0, 0xff, 0xee, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05,    \
        0xa0, 0x00, 0x10, 0x00, 0x01, 0x0a, 0x01, 0x00, 0x00
/* clang-format on */

static void test_info_request_known_answer(void **state)
{
    /* clang-format off */
    static const uint8_t want_afi0[] = {
        0x70, 0x00, 0x00, 0x00, /* Type 7, R clear */
        INFO_HEAD_KEY1,
        0x00, 0x00, /* AFI 0: nothing follows */
    };
    /* clang-format on */
    /* clang-format off */
    static const uint8_t want_name[] = {
        0x70, 0x00, 0x00, 0x00,
        INFO_HEAD_NOAUTH,
        0x00, 0x11, 'x', 't', 'r', '-', '1', 0x00, /* AFI 17, "xtr-1" */
    };
    /* clang-format on */

    (void)state;
    lt_sample_info_request(&g_in, LISP_KEY_ID_HMAC_SHA1_96, 20, NULL);
    check_known_answer(&g_in, want_afi0, sizeof want_afi0);
    assert_int_equal(g_out.u.info.hostname.len, 0);

    lt_sample_info_request(&g_in, 0, 0, "xtr-1");
    check_known_answer(&g_in, want_name, sizeof want_name);
    assert_int_equal(g_out.u.info.hostname.len, 5);
    assert_memory_equal(g_out.u.info.hostname.ptr, "xtr-1", 5);
}

/* Info-Reply from lt_sample_info_request, with the NAT-Traversal LCAF filled in. */
static void build_info_reply(lisp_msg *m, unsigned n_rtrs, bool v6)
{
    lisp_natt *n = &m->u.info.natt;
    unsigned i;

    lt_sample_info_request(m, 0, 0, NULL);
    m->u.info.flags = LISP_INFO_F_R;
    n->ms_port = LISP_CONTROL_PORT;
    n->etr_port = 49153;
    n->global_etr = lt_ip(v6 ? "2001:db8:ff::5" : "203.0.113.5");
    n->ms = lt_ip(v6 ? "2001:db8:1::1" : "198.51.100.1");
    n->private_etr = v6 ? lt_ip("fd00::2") : lt_ip("10.0.0.2");
    n->rtr_count = (uint8_t)n_rtrs;
    for (i = 0; i < n_rtrs; i++) {
        char text[32];
        snprintf(text, sizeof text, v6 == (i % 3 != 2) ? "2001:db8:99::%u" : "198.51.100.%u",
                 i + 9);
        n->rtrs[i] = lt_ip(text);
    }
}

static void test_info_reply_known_answer(void **state)
{
    /* clang-format off */
    static const uint8_t want[] = {
        0x78, 0x00, 0x00, 0x00, /* Type 7 |R| */
        INFO_HEAD_NOAUTH,
        0x40, 0x03, 0x00, 0x00, 0x07, 0x00, 0x00, 0x1c, /* LCAF NAT-Traversal, length 28 */
        0x10, 0xf6, 0xc0, 0x01,                         /* MS port 4342, ETR port 49153 */
        0x00, 0x01, 0xcb, 0x00, 0x71, 0x05,             /* Global ETR RLOC 203.0.113.5 */
        0x00, 0x01, 0xc6, 0x33, 0x64, 0x01,             /* MS RLOC 198.51.100.1 */
        0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,             /* Private ETR RLOC 10.0.0.2 */
        0x00, 0x01, 0xc6, 0x33, 0x64, 0x09,             /* RTR RLOC 198.51.100.9 */
    };
    /* clang-format on */

    (void)state;
    build_info_reply(&g_in, 1, false);
    g_in.u.info.natt.rtrs[0] = lt_ip("198.51.100.9");
    check_known_answer(&g_in, want, sizeof want);
}

static void test_info_request_roundtrip(void **state)
{
    static const struct {
        uint16_t key_id, len;
    } keys[] = {{0, 0}, {1, 20}, {2, 32}, {1, 12}, {2, 16}};
    static char long_name[LISP_NAME_MAX + 1];
    unsigned k;

    (void)state;
    memset(long_name, 'h', LISP_NAME_MAX);
    for (k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        lt_sample_info_request(&g_in, keys[k].key_id, keys[k].len, NULL);
        lt_msg_roundtrip(&g_in, &g_out, g_wire);
        lt_sample_info_request(&g_in, keys[k].key_id, keys[k].len, "rtr.lisp.example");
        lt_msg_roundtrip(&g_in, &g_out, g_wire);
        /* Other EID kinds. */
        g_in.u.info.eid = prefix_kind(k);
        lt_msg_roundtrip(&g_in, &g_out, g_wire);
    }
    /* The longest hostname. */
    lt_sample_info_request(&g_in, 0, 0, long_name);
    lt_msg_roundtrip(&g_in, &g_out, g_wire);
}

static void test_info_reply_roundtrip(void **state)
{
    unsigned n, v6;

    (void)state;
    for (v6 = 0; v6 < 2; v6++)
        for (n = 0; n <= LISP_MAX_RTRS; n++) {
            build_info_reply(&g_in, n, v6);
            lt_msg_roundtrip(&g_in, &g_out, g_wire);
            assert_int_equal(g_out.u.info.natt.rtr_count, n);
        }
    /* Unknown RLOCs are AFI 0, and the Info-Reply may carry authentication. */
    build_info_reply(&g_in, 2, false);
    memset(&g_in.u.info.natt.private_etr, 0, sizeof(lisp_afi_addr));
    memset(&g_in.u.info.natt.rtrs[1], 0, sizeof(lisp_afi_addr));
    g_in.u.info.key_id = LISP_KEY_ID_HMAC_SHA256_128;
    g_in.u.info.auth_len = 32;
    g_in.u.info.eid = prefix_kind(3);
    lt_msg_roundtrip(&g_in, &g_out, g_wire);
}

/* ---------------------------------------------------------------------------------------- */
/* Receipt of reserved bits                                                                 */
/* ---------------------------------------------------------------------------------------- */

static void test_reserved_bits_ignored(void **state)
{
    uint8_t buf[sizeof kat_map_request];
    /* clang-format off */
    uint8_t rep[] = {
        0x21, 0xff, 0xff, 0x01, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8,
        0x00, 0x00, 0x05, 0xa0, 0x01, 0x18, 0x7f, 0xff, 0xf0, 0x01, /* reserved bits set */
        0x00, 0x01, 0x0a, 0x01, 0x02, 0x00,
        0x01, 0x64, 0xff, 0x07, 0xff, 0xfd, 0x00, 0x01, 0xc0, 0x00, 0x02, 0x01,
    };
    /* clang-format on */
    size_t len;

    (void)state;
    /* Map-Request: R, R and Rsvd bits. */
    memcpy(buf, kat_map_request, sizeof buf);
    buf[1] |= 0x3f;
    buf[2] |= 0x80;
    lt_assert_ok(lisp_msg_decode(&g_out, buf, sizeof buf));
    assert_int_equal(g_out.u.mreq.flags, 0);
    lt_assert_ok(lisp_msg_encode(&g_out, g_wire, sizeof g_wire, &len));
    assert_int_equal(len, sizeof kat_map_request);
    assert_memory_equal(g_wire, kat_map_request, len);

    /* Map-Reply: reserved header, record and locator bits. */
    lt_assert_ok(lisp_msg_decode(&g_out, rep, sizeof rep));
    assert_int_equal(g_out.u.mrep.flags, 0);
    assert_int_equal(g_out.record_pool[0].action, 3);
    assert_true(g_out.record_pool[0].authoritative);
    assert_int_equal(g_out.record_pool[0].map_version, 1);
    assert_int_equal(g_out.locator_pool[0].flags, LISP_LOC_F_L | LISP_LOC_F_R);
    lt_assert_ok(lisp_msg_encode(&g_out, g_wire, sizeof g_wire, &len));
    assert_int_equal(g_wire[0], 0x20);
    assert_int_equal(g_wire[1], 0);
    assert_int_equal(g_wire[2], 0);
    assert_int_equal(g_wire[18], 0x70);
    assert_int_equal(g_wire[19], 0);
    assert_int_equal(g_wire[20], 0);
    assert_int_equal(g_wire[32], 0);
    assert_int_equal(g_wire[33], 0x05);
}

/* ---------------------------------------------------------------------------------------- */
/* Distinct decode errors                                                                   */
/* ---------------------------------------------------------------------------------------- */

static void test_unknown_types(void **state)
{
    static const uint8_t types[] = {0, 6, 9, 10, 11, 12, 13, 14, 15};
    uint8_t buf[64];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof types; i++) {
        memset(buf, 0, sizeof buf);
        buf[0] = (uint8_t)(types[i] << 4);
        assert_int_equal(lisp_msg_peek_type(buf, sizeof buf), types[i]);
        check_decode_error(buf, 4, LISP_ERR_UNKNOWN_TYPE);
        check_decode_error(buf, sizeof buf, LISP_ERR_UNKNOWN_TYPE);
    }
    check_decode_error(buf, 3, LISP_ERR_TRUNCATED);
}

/* Storage beyond one lisp_msg's pools, for messages the decoder must refuse. */
static lisp_record big_records[LISP_MAX_RECORDS + 1];
static lisp_locator big_locators[2 * LISP_MAX_LOCATORS];

static void fill_big(unsigned n_rec, const unsigned *locs_per_record)
{
    unsigned i, used = 0;

    for (i = 0; i < n_rec; i++) {
        big_records[i] = make_record(big_locators + used, i, locs_per_record[i]);
        used += locs_per_record[i];
    }
}

/* One more EID-record after the last one: IPv4 10.1.2.0/24, no locators. */
static const uint8_t extra_record[] = {0x00, 0x00, 0x05, 0xa0, 0x00, 0x18, 0x00, 0x00,
                                       0x00, 0x00, 0x00, 0x01, 0x0a, 0x01, 0x02, 0x00};
/* One more locator: priority 1, weight 100, IPv4 192.0.2.1. */
static const uint8_t extra_locator[] = {0x01, 0x64, 0xff, 0x00, 0x00, 0x00,
                                        0x00, 0x01, 0xc0, 0x00, 0x02, 0x01};

/* Set up a Map-Reply (type 2) or a Map-Register/Notify/Ack without xTR-ID, so that the
 * records are the last thing in the message and more can be appended on the wire. */
static void set_records(uint8_t type, uint8_t count)
{
    if (type == LISP_MAP_REPLY) {
        memset(&g_in, 0, sizeof g_in);
        g_in.type = LISP_MAP_REPLY;
        g_in.u.mrep.records = big_records;
        g_in.u.mrep.record_count = count;
    } else {
        lt_sample_map_register(&g_in, type, 0, 1, 20);
        g_in.u.mreg.records = big_records;
        g_in.u.mreg.record_count = count;
    }
}

/* Offset of the first EID-record: after the nonce, and the auth block if any. */
static size_t records_offset(uint8_t type)
{
    return type == LISP_MAP_REPLY ? 12 : 12 + 4 + 20;
}

static void test_too_many_records(void **state)
{
    static const unsigned no_locs[LISP_MAX_RECORDS + 1];
    static const uint8_t types[] = {LISP_MAP_REPLY, LISP_MAP_REGISTER, LISP_MAP_NOTIFY,
                                    LISP_MAP_NOTIFY_ACK};
    static const uint8_t extra_prefix[] = {0x00, 0x18, 0x00, 0x01, 0x0a, 0x01, 0x02, 0x00};
    size_t len, i;

    (void)state;
    fill_big(LISP_MAX_RECORDS + 1, no_locs);
    for (i = 0; i < sizeof types; i++) {
        set_records(types[i], LISP_MAX_RECORDS);
        lt_msg_roundtrip(&g_in, &g_out, g_wire); /* 32 is fine */
        /* The encoder keeps to the decoder's bounds ... */
        set_records(types[i], LISP_MAX_RECORDS + 1);
        lt_assert_rc(lisp_msg_encode(&g_in, g_wire, sizeof g_wire, &len), LISP_ERR_INVALID_ARG);
        /* ... so the 33rd record is added on the wire. */
        set_records(types[i], LISP_MAX_RECORDS);
        lt_assert_ok(lisp_msg_encode(&g_in, g_wire, sizeof g_wire, &len));
        g_wire[3] = LISP_MAX_RECORDS + 1;
        memcpy(g_wire + len, extra_record, sizeof extra_record);
        check_decode_error(g_wire, len + sizeof extra_record, LISP_ERR_TOO_MANY);
    }

    /* Map-Request: the encoder refuses 33 records, so patch the count and add one. */
    build_map_request(&g_in, 0, false, 1, LISP_MAX_RECORDS, 0);
    lt_assert_ok(lisp_msg_encode(&g_in, g_wire, sizeof g_wire, &len));
    g_wire[3] = LISP_MAX_RECORDS + 1;
    memcpy(g_wire + len, extra_prefix, sizeof extra_prefix);
    check_decode_error(g_wire, len + sizeof extra_prefix, LISP_ERR_TOO_MANY);
}

/* Encode the records of locs_per_record (totalling LISP_MAX_LOCATORS), then append one
 * locator to the last record on the wire: the decoder must run out of locator pool. */
static void check_one_locator_too_many(uint8_t type, unsigned n_rec, const unsigned *locs)
{
    size_t len, last_record = records_offset(type), one_len;
    unsigned i;

    fill_big(n_rec, locs);
    for (i = 0; i + 1 < n_rec; i++) {
        /* Length of record i alone = a one-record message minus its header. */
        set_records(LISP_MAP_REPLY, 1);
        g_in.u.mrep.records = &big_records[i];
        lt_assert_ok(lisp_msg_encode(&g_in, g_wire, sizeof g_wire, &one_len));
        last_record += one_len - records_offset(LISP_MAP_REPLY);
    }
    set_records(type, (uint8_t)n_rec);
    lt_msg_roundtrip(&g_in, &g_out, g_wire); /* exactly LISP_MAX_LOCATORS is fine */
    lt_assert_ok(lisp_msg_encode(&g_in, g_wire, sizeof g_wire, &len));
    g_wire[last_record + 4]++; /* the record's Locator Count follows its 4-byte TTL */
    memcpy(g_wire + len, extra_locator, sizeof extra_locator);
    check_decode_error(g_wire, len + sizeof extra_locator, LISP_ERR_TOO_MANY);
}

static void test_too_many_locators(void **state)
{
    static const unsigned split_ok[] = {32, 32}, split_bad[] = {32, 33};
    static const unsigned one_ok[] = {64}, one_bad[] = {65};
    size_t len;

    (void)state;
    /* The encoder refuses more locators than the decoder accepts, in one record or two. */
    fill_big(2, split_bad);
    set_records(LISP_MAP_REPLY, 2);
    lt_assert_rc(lisp_msg_encode(&g_in, g_wire, sizeof g_wire, &len), LISP_ERR_INVALID_ARG);
    fill_big(1, one_bad);
    set_records(LISP_MAP_REGISTER, 1);
    lt_assert_rc(lisp_msg_encode(&g_in, g_wire, sizeof g_wire, &len), LISP_ERR_INVALID_ARG);

    /* On the wire, one locator too many fails to decode, whichever record holds it. */
    check_one_locator_too_many(LISP_MAP_REPLY, 2, split_ok);
    check_one_locator_too_many(LISP_MAP_REPLY, 1, one_ok);
    check_one_locator_too_many(LISP_MAP_REGISTER, 2, split_ok);
    check_one_locator_too_many(LISP_MAP_REGISTER, 1, one_ok);

    /* The Map-Reply record of a Map-Request draws on the same locator pool. */
    fill_big(1, one_bad);
    lt_sample_map_request(&g_in);
    g_in.u.mreq.has_map_reply = true;
    g_in.u.mreq.map_reply = big_records[0];
    lt_assert_rc(lisp_msg_encode(&g_in, g_wire, sizeof g_wire, &len), LISP_ERR_INVALID_ARG);
    g_in.u.mreq.map_reply.loc_count = LISP_MAX_LOCATORS;
    lt_msg_roundtrip(&g_in, &g_out, g_wire);
}

static void test_too_many_rtrs(void **state)
{
    static const uint8_t rtr9[] = {0x00, 0x01, 0xc6, 0x33, 0x64, 0xff};
    size_t len, lcaf_len_at;

    (void)state;
    build_info_reply(&g_in, LISP_MAX_RTRS, false);
    lt_msg_roundtrip(&g_in, &g_out, g_wire);
    lt_assert_ok(lisp_msg_encode(&g_in, g_wire, sizeof g_wire, &len));
    /* The NAT LCAF ends the message: add a ninth RTR and grow the LCAF length. */
    lcaf_len_at = 4 + 8 + 4 + 4 + 2 + lisp_addr_wire_len(&g_in.u.info.eid.addr) + 6;
    assert_int_equal(g_wire[lcaf_len_at - 2], LISP_LCAF_NATT);
    assert_int_equal(((g_wire[lcaf_len_at] << 8) | g_wire[lcaf_len_at + 1]), len - lcaf_len_at - 2);
    memcpy(g_wire + len, rtr9, sizeof rtr9);
    g_wire[lcaf_len_at + 1] = (uint8_t)(g_wire[lcaf_len_at + 1] + sizeof rtr9);
    check_decode_error(g_wire, len + sizeof rtr9, LISP_ERR_TOO_MANY);
}

static void test_too_many_afi_list_elements(void **state)
{
    /* Map-Request whose only ITR-RLOC is an AFI-List of 4 (fine) or 5 (too many) IPv4s. */
    /* clang-format off */
    uint8_t buf[] = {
        0x10, 0x00, 0x00, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 0x00, 0x00,
        0x40, 0x03, 0x00, 0x00, 0x01, 0x00, 0x00, 0x1e,
        0x00, 0x01, 0xc0, 0x00, 0x02, 0x01, 0x00, 0x01, 0xc0, 0x00, 0x02, 0x02,
        0x00, 0x01, 0xc0, 0x00, 0x02, 0x03, 0x00, 0x01, 0xc0, 0x00, 0x02, 0x04,
        0x00, 0x01, 0xc0, 0x00, 0x02, 0x05,
    };
    /* clang-format on */

    (void)state;
    check_decode_error(buf, sizeof buf, LISP_ERR_TOO_MANY);
    buf[21] = 0x18; /* four elements, and the fifth is left over */
    check_decode_error(buf, sizeof buf, LISP_ERR_BAD_LENGTH);
    lt_assert_ok(lisp_msg_decode(&g_out, buf, sizeof buf - 6));
    assert_int_equal(g_out.u.mreq.itr_rlocs[0].lcaf, LISP_LCAF_AFI_LIST);
    assert_int_equal(g_out.u.mreq.itr_rlocs[0].n_more, 3);
    assert_int_equal(g_out.u.mreq.itr_rlocs[0].more[2].ip[3], 4);
}

/* clang-format off */
static const uint8_t kat_map_reply[] = {
    0x2e, 0x00, 0x00, 0x01, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8,
    0x00, 0x00, 0x05, 0xa0, 0x01, 0x18, 0x70, 0x00, 0x00, 0x01, 0x00, 0x01, 0x0a, 0x01, 0x02, 0x00,
    0x01, 0x64, 0xff, 0x07, 0x00, 0x05, 0x00, 0x01, 0xc0, 0x00, 0x02, 0x01,
};
/* clang-format on */
#define MREP_MASK_AT 17
#define MREP_EID_AFI_AT 22
#define MREP_LOC_AFI_AT 34

static void test_bad_mask_len(void **state)
{
    uint8_t buf[sizeof kat_map_reply];
    uint8_t req[sizeof kat_map_request];
    static const uint8_t info[] = {0x70, 0x00, 0x00, 0x00, INFO_HEAD_KEY1, 0x00, 0x00};
    uint8_t inf[sizeof info];
    size_t len;

    (void)state;
    memcpy(buf, kat_map_reply, sizeof buf);
    buf[MREP_MASK_AT] = 32;
    lt_assert_ok(lisp_msg_decode(&g_out, buf, sizeof buf));
    buf[MREP_MASK_AT] = 33;
    check_decode_error(buf, sizeof buf, LISP_ERR_BAD_VALUE);
    buf[MREP_MASK_AT] = 255;
    check_decode_error(buf, sizeof buf, LISP_ERR_BAD_VALUE);

    memcpy(req, kat_map_request, sizeof req);
    req[21] = 33;
    check_decode_error(req, sizeof req, LISP_ERR_BAD_VALUE);

    memcpy(inf, info, sizeof inf);
    inf[41] = 33;
    check_decode_error(inf, sizeof inf, LISP_ERR_BAD_VALUE);

    /* IPv6: 128 fine, 129 not; an Instance-ID does not change the AFI's width. */
    build_map_reply(&g_in, 0, 1, 1);
    g_in.record_pool[0].eid = make_prefix(128, iid_addr(9, 0, "2001:db8::9"));
    lt_msg_roundtrip(&g_in, &g_out, g_wire);
    lt_assert_ok(lisp_msg_encode(&g_in, g_wire, sizeof g_wire, &len));
    g_wire[12 + 5] = 129;
    check_decode_error(g_wire, len, LISP_ERR_BAD_VALUE);
    g_in.record_pool[0].eid = make_prefix(32, iid_addr(9, 0, "10.0.0.0"));
    lt_assert_ok(lisp_msg_encode(&g_in, g_wire, sizeof g_wire, &len));
    g_wire[12 + 5] = 33;
    check_decode_error(g_wire, len, LISP_ERR_BAD_VALUE);
    /* The IID mask-len itself is at most 32. */
    g_wire[12 + 5] = 32;
    lt_assert_ok(lisp_msg_decode(&g_out, g_wire, len));
    g_wire[12 + 10 + 2 + 3] = 33; /* Rsvd2 of the LCAF */
    check_decode_error(g_wire, len, LISP_ERR_BAD_VALUE);
}

static void test_bad_afi(void **state)
{
    uint8_t buf[sizeof kat_map_reply];
    /* Map-Reply record whose EID is a NAT-Traversal LCAF. */
    /* clang-format off */
    static const uint8_t natt_eid[] = {
        0x20, 0x00, 0x00, 0x01, 1, 2, 3, 4, 5, 6, 7, 8,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x40, 0x03, 0x00, 0x00, 0x07, 0x00, 0x00, 0x10, 0x10, 0xf6, 0x10, 0xf6,
        0x00, 0x01, 0x0a, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    };
    /* clang-format on */
    /* ... whose EID is an AFI-List (not a prefix). */
    /* clang-format off */
    static const uint8_t afi_list_eid[] = {
        0x20, 0x00, 0x00, 0x01, 1, 2, 3, 4, 5, 6, 7, 8,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x18, 0x00, 0x00, 0x00, 0x00,
        0x40, 0x03, 0x00, 0x00, 0x01, 0x00, 0x00, 0x06, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x00,
    };
    /* clang-format on */
    /* ... an Instance-ID LCAF wrapping another LCAF. */
    /* clang-format off */
    static const uint8_t nested_eid[] = {
        0x20, 0x00, 0x00, 0x01, 1, 2, 3, 4, 5, 6, 7, 8,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x18, 0x00, 0x00, 0x00, 0x00,
        0x40, 0x03, 0x00, 0x00, 0x02, 0x00, 0x00, 0x16, 0x00, 0x00, 0x00, 0x01,
        0x40, 0x03, 0x00, 0x00, 0x02, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x02,
        0x00, 0x01, 0x0a, 0x00, 0x00, 0x00,
    };
    /* clang-format on */
    /* ... an LCAF type the codec does not know (3, AS Number). */
    /* clang-format off */
    static const uint8_t lcaf3_eid[] = {
        0x20, 0x00, 0x00, 0x01, 1, 2, 3, 4, 5, 6, 7, 8,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x18, 0x00, 0x00, 0x00, 0x00,
        0x40, 0x03, 0x00, 0x00, 0x03, 0x00, 0x00, 0x06, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x00,
    };
    /* clang-format on */
    /* clang-format off */
    static const uint8_t reply_no_lcaf[] = {
        0x78, 0x00, 0x00, 0x00, INFO_HEAD_NOAUTH, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x01,
    };
    /* clang-format on */
    /* clang-format off */
    static const uint8_t reply_iid_lcaf[] = {
        0x78, 0x00, 0x00, 0x00, INFO_HEAD_NOAUTH,
        0x40, 0x03, 0x00, 0x00, 0x02, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x01, 0x0a, 0x00, 0x00, 0x01,
    };
    /* clang-format on */
    /* clang-format off */
    static const uint8_t reply_name_rloc[] = {
        0x78, 0x00, 0x00, 0x00, INFO_HEAD_NOAUTH,
        0x40, 0x03, 0x00, 0x00, 0x07, 0x00, 0x00, 0x0c, 0x10, 0xf6, 0xc0, 0x01,
        0x00, 0x11, 'x', 0x00, 0x00, 0x00, 0x00, 0x00,
    };
    /* clang-format on */
    /* clang-format off */
    static const uint8_t request_ipv4_tail[] = {
        0x70, 0x00, 0x00, 0x00, INFO_HEAD_NOAUTH, 0x00, 0x01, 0x0a, 0x00, 0x00, 0x01,
    };
    /* clang-format on */

    (void)state;
    memcpy(buf, kat_map_reply, sizeof buf);
    buf[MREP_EID_AFI_AT + 1] = 99;
    check_decode_error(buf, sizeof buf, LISP_ERR_BAD_AFI);
    memcpy(buf, kat_map_reply, sizeof buf);
    buf[MREP_LOC_AFI_AT + 1] = 99;
    check_decode_error(buf, sizeof buf, LISP_ERR_BAD_AFI);
    memcpy(buf, kat_map_reply, sizeof buf);
    buf[MREP_LOC_AFI_AT] = 0x40; /* AFI 16385 */
    check_decode_error(buf, sizeof buf, LISP_ERR_BAD_AFI);
    check_decode_error(natt_eid, sizeof natt_eid, LISP_ERR_BAD_AFI);
    check_decode_error(afi_list_eid, sizeof afi_list_eid, LISP_ERR_BAD_AFI);
    check_decode_error(nested_eid, sizeof nested_eid, LISP_ERR_BAD_AFI);
    check_decode_error(lcaf3_eid, sizeof lcaf3_eid, LISP_ERR_BAD_AFI);
    check_decode_error(reply_no_lcaf, sizeof reply_no_lcaf, LISP_ERR_BAD_AFI);
    check_decode_error(reply_iid_lcaf, sizeof reply_iid_lcaf, LISP_ERR_BAD_AFI);
    check_decode_error(reply_name_rloc, sizeof reply_name_rloc, LISP_ERR_BAD_AFI);
    check_decode_error(request_ipv4_tail, sizeof request_ipv4_tail, LISP_ERR_BAD_AFI);
}

static void test_bad_lcaf_length(void **state)
{
    /* Map-Reply, one record: EID [7]10.1.2.0/24 in an IID LCAF, then one locator. */
    /* clang-format off */
    uint8_t buf[] = {
        0x20, 0x00, 0x00, 0x01, 1, 2, 3, 4, 5, 6, 7, 8,
        0x00, 0x00, 0x00, 0x01, 0x01, 0x18, 0x00, 0x00, 0x00, 0x00,
        0x40, 0x03, 0x00, 0x00, 0x02, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x07,
        0x00, 0x01, 0x0a, 0x01, 0x02, 0x00,
        0x01, 0x64, 0xff, 0x00, 0x00, 0x01, 0x00, 0x01, 0xc0, 0x00, 0x02, 0x01,
    };
    /* clang-format on */
    const size_t len_at = 12 + 10 + 7;
    /* Info-Reply whose NAT LCAF length stops inside the last RLOC. */
    /* clang-format off */
    uint8_t natt[] = {
        0x78, 0x00, 0x00, 0x00, INFO_HEAD_NOAUTH,
        0x40, 0x03, 0x00, 0x00, 0x07, 0x00, 0x00, 0x16, 0x10, 0xf6, 0xc0, 0x01,
        0x00, 0x01, 0xcb, 0x00, 0x71, 0x05, 0x00, 0x01, 0xc6, 0x33, 0x64, 0x01,
        0x00, 0x01, 0x0a, 0x00, 0x00, 0x02,
    };
    /* clang-format on */
    const size_t natt_len_at = 4 + 24 + 7;
    static const uint8_t too_long[] = {0x0b, 0x0c, 0x10, 0x16};
    static const uint8_t too_short[] = {0x00, 0x02, 0x04, 0x05, 0x08, 0x09};
    size_t i;

    (void)state;
    lt_assert_ok(lisp_msg_decode(&g_out, buf, sizeof buf));
    assert_int_equal(g_out.record_pool[0].eid.addr.iid, 7);
    for (i = 0; i < sizeof too_long; i++) {
        buf[len_at] = too_long[i];
        check_decode_error(buf, sizeof buf, LISP_ERR_BAD_LENGTH);
    }
    for (i = 0; i < sizeof too_short; i++) {
        buf[len_at] = too_short[i];
        check_decode_error(buf, sizeof buf, LISP_ERR_BAD_LENGTH);
    }
    /* A length running past the end of the message is truncation. */
    buf[len_at] = 0x30;
    check_decode_error(buf, sizeof buf, LISP_ERR_TRUNCATED);

    lt_assert_ok(lisp_msg_decode(&g_out, natt, sizeof natt));
    natt[natt_len_at] = 0x15;
    check_decode_error(natt, sizeof natt, LISP_ERR_BAD_LENGTH);
    natt[natt_len_at] = 0x03;
    check_decode_error(natt, sizeof natt, LISP_ERR_BAD_LENGTH);
    natt[natt_len_at] = 0x17;
    check_decode_error(natt, sizeof natt, LISP_ERR_TRUNCATED);
}

static void test_bad_auth_len(void **state)
{
    uint8_t buf[16 + 65 + 8];
    size_t len;

    (void)state;
    memset(buf, 0, sizeof buf);
    buf[0] = 0x30;
    buf[13] = 1;
    buf[15] = 65;
    check_decode_error(buf, 16, LISP_ERR_BAD_LENGTH);
    check_decode_error(buf, sizeof buf, LISP_ERR_BAD_LENGTH);
    buf[15] = 64; /* the largest field the decoder takes */
    check_decode_error(buf, 16 + 64, LISP_OK);
    buf[14] = 1; /* 320 */
    check_decode_error(buf, sizeof buf, LISP_ERR_BAD_LENGTH);

    lt_sample_info_request(&g_in, 1, 64, NULL);
    lt_msg_roundtrip(&g_in, &g_out, g_wire);
    lt_assert_ok(lisp_msg_encode(&g_in, g_wire, sizeof g_wire, &len));
    g_wire[15] = 65;
    check_decode_error(g_wire, len, LISP_ERR_BAD_LENGTH);

    /* The MS-RTR block of a Map-Notify is bounded the same way. */
    lt_sample_map_register(&g_in, LISP_MAP_NOTIFY, LISP_MNOT_F_R, 0, 0);
    g_in.u.mreg.msrtr_key_id = 1;
    g_in.u.mreg.msrtr_auth_len = LISP_AUTH_MAX;
    lt_msg_roundtrip(&g_in, &g_out, g_wire);
    lt_assert_ok(lisp_msg_encode(&g_in, g_wire, sizeof g_wire, &len));
    g_wire[len - LISP_AUTH_MAX - 1] = LISP_AUTH_MAX + 1;
    check_decode_error(g_wire, len, LISP_ERR_BAD_LENGTH);
}

/* ---------------------------------------------------------------------------------------- */
/* Encoder refusals                                                                         */
/* ---------------------------------------------------------------------------------------- */

static void expect_encode(const lisp_msg *m, int want)
{
    size_t len = 0;
    lt_assert_rc(lisp_msg_encode(m, g_wire, sizeof g_wire, &len), want);
}

static void test_encode_invalid_args(void **state)
{
    static const uint8_t bad_types[] = {0, 6, 9, 15, 255};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bad_types; i++) {
        lt_sample_map_request(&g_in);
        g_in.type = bad_types[i];
        expect_encode(&g_in, LISP_ERR_INVALID_ARG);
    }

    lt_sample_map_request(&g_in);
    g_in.u.mreq.itr_rloc_count = 0;
    expect_encode(&g_in, LISP_ERR_INVALID_ARG);
    g_in.u.mreq.itr_rloc_count = LISP_MAX_ITR_RLOCS + 1;
    expect_encode(&g_in, LISP_ERR_INVALID_ARG);
    lt_sample_map_request(&g_in);
    g_in.u.mreq.record_count = LISP_MAX_RECORDS + 1;
    expect_encode(&g_in, LISP_ERR_INVALID_ARG);
    lt_sample_map_request(&g_in);
    g_in.u.mreq.records[0].mask_len = 33;
    expect_encode(&g_in, LISP_ERR_INVALID_ARG);
    lt_sample_map_request(&g_in);
    g_in.u.mreq.records[0].addr = afi_list_rtr("10.0.0.0");
    expect_encode(&g_in, LISP_ERR_INVALID_ARG);
    lt_sample_map_request(&g_in);
    g_in.u.mreq.itr_rlocs[0].a.afi = 99;
    expect_encode(&g_in, LISP_ERR_INVALID_ARG);
    lt_sample_map_request(&g_in);
    g_in.u.mreq.source_eid = iid_addr(1, 33, "10.0.0.0");
    expect_encode(&g_in, LISP_ERR_INVALID_ARG);
    lt_sample_map_request(&g_in);
    g_in.u.mreq.source_eid = afi_list_rtr("10.0.0.0");
    g_in.u.mreq.source_eid.n_more = LISP_AFI_LIST_MAX;
    expect_encode(&g_in, LISP_ERR_INVALID_ARG);

    /* Records. */
    lt_sample_map_register(&g_in, LISP_MAP_REGISTER, 0, 1, 20);
    g_in.record_pool[1].action = 8;
    expect_encode(&g_in, LISP_ERR_INVALID_ARG);
    lt_sample_map_register(&g_in, LISP_MAP_REGISTER, 0, 1, 20);
    g_in.record_pool[1].map_version = 0x1000;
    expect_encode(&g_in, LISP_ERR_INVALID_ARG);
    lt_sample_map_register(&g_in, LISP_MAP_REGISTER, 0, 1, 20);
    g_in.record_pool[1].locators = NULL;
    expect_encode(&g_in, LISP_ERR_INVALID_ARG);
    lt_sample_map_register(&g_in, LISP_MAP_REGISTER, 0, 1, 20);
    g_in.u.mreg.records = NULL;
    expect_encode(&g_in, LISP_ERR_INVALID_ARG);
    lt_sample_map_register(&g_in, LISP_MAP_REGISTER, 0, 1, 20);
    g_in.record_pool[0].eid.mask_len = 33;
    expect_encode(&g_in, LISP_ERR_INVALID_ARG);
    lt_sample_map_register(&g_in, LISP_MAP_REGISTER, 0, 1, 20);
    g_in.record_pool[1].eid.mask_len = 129;
    expect_encode(&g_in, LISP_ERR_INVALID_ARG);
    lt_sample_map_register(&g_in, LISP_MAP_REGISTER, 0, 1, 20);
    g_in.locator_pool[2].addr.a.afi = LISP_AFI_LCAF;
    expect_encode(&g_in, LISP_ERR_INVALID_ARG);

    /* Authentication data. */
    lt_sample_map_register(&g_in, LISP_MAP_REGISTER, 0, 1, LISP_AUTH_MAX + 1);
    expect_encode(&g_in, LISP_ERR_INVALID_ARG);
    lt_sample_map_register(&g_in, LISP_MAP_NOTIFY, LISP_MNOT_F_R, 1, 20);
    g_in.u.mreg.msrtr_auth_len = LISP_AUTH_MAX + 1;
    expect_encode(&g_in, LISP_ERR_INVALID_ARG);
    lt_sample_info_request(&g_in, 1, LISP_AUTH_MAX + 1, NULL);
    expect_encode(&g_in, LISP_ERR_INVALID_ARG);

    /* Info. */
    lt_sample_info_request(&g_in, 0, 0, NULL);
    g_in.u.info.eid.mask_len = 33;
    expect_encode(&g_in, LISP_ERR_INVALID_ARG);
    build_info_reply(&g_in, LISP_MAX_RTRS, false);
    g_in.u.info.natt.rtr_count = LISP_MAX_RTRS + 1;
    expect_encode(&g_in, LISP_ERR_INVALID_ARG);
    build_info_reply(&g_in, 1, false);
    g_in.u.info.natt.ms = lisp_afi_name("ms");
    expect_encode(&g_in, LISP_ERR_INVALID_ARG);
    build_info_reply(&g_in, 1, false);
    g_in.u.info.natt.rtrs[0] = lisp_afi_name("RTR");
    expect_encode(&g_in, LISP_ERR_INVALID_ARG);

    /* ECM. */
    build_ecm(&g_in, 0, LISP_AFI_NONE, kat_map_request, sizeof kat_map_request);
    expect_encode(&g_in, LISP_ERR_INVALID_ARG);
    build_ecm(&g_in, 0, LISP_AFI_IPV4, NULL, 10);
    expect_encode(&g_in, LISP_ERR_INVALID_ARG);
}

static void test_encode_nobuf(void **state)
{
    size_t len;

    (void)state;
    /* lt_msg_roundtrip checks every short buffer; here the edge with the ECM payload. */
    build_ecm(&g_in, 0, LISP_AFI_IPV6, kat_map_request, sizeof kat_map_request);
    lt_assert_rc(lisp_msg_encode(&g_in, g_wire, 4 + 48 + sizeof kat_map_request - 1, &len),
                 LISP_ERR_NOBUF);
    lt_assert_ok(lisp_msg_encode(&g_in, g_wire, 4 + 48 + sizeof kat_map_request, &len));
    assert_int_equal(len, 4 + 48 + sizeof kat_map_request);
}

/* ---------------------------------------------------------------------------------------- */
/* Names and the error vocabulary                                                           */
/* ---------------------------------------------------------------------------------------- */

static void test_type_names_and_peek(void **state)
{
    uint8_t b = 0x3f;

    (void)state;
    assert_string_equal(lisp_msg_type_name(LISP_MAP_REQUEST), "Map-Request");
    assert_string_equal(lisp_msg_type_name(LISP_MAP_REPLY), "Map-Reply");
    assert_string_equal(lisp_msg_type_name(LISP_MAP_REGISTER), "Map-Register");
    assert_string_equal(lisp_msg_type_name(LISP_MAP_NOTIFY), "Map-Notify");
    assert_string_equal(lisp_msg_type_name(LISP_MAP_NOTIFY_ACK), "Map-Notify-Ack");
    assert_string_equal(lisp_msg_type_name(LISP_INFO), "Info");
    assert_string_equal(lisp_msg_type_name(LISP_ECM), "Encapsulated Control Message");
    assert_string_equal(lisp_msg_type_name(0), "unknown");
    assert_string_equal(lisp_msg_type_name(6), "unknown");
    assert_string_equal(lisp_msg_type_name(-1), "unknown");
    assert_int_equal(lisp_msg_peek_type(&b, 1), 3);
    lt_assert_rc(lisp_msg_peek_type(&b, 0), LISP_ERR_TRUNCATED);
}

static void test_error_vocabulary(void **state)
{
    static const int codes[] = {
        LISP_OK,
        LISP_ERR_TRUNCATED,
        LISP_ERR_BAD_LENGTH,
        LISP_ERR_BAD_AFI,
        LISP_ERR_UNKNOWN_TYPE,
        LISP_ERR_TOO_MANY,
        LISP_ERR_BAD_VALUE,
        LISP_ERR_CHECKSUM,
        LISP_ERR_AUTH,
        LISP_ERR_BAD_KEY_ID,
        LISP_ERR_NOBUF,
        LISP_ERR_INVALID_ARG,
        LISP_ERR_CRYPTO,
        LISP_ERR_NOMEM,
    };
    size_t i, j;

    (void)state;
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *s = lisp_strerror(codes[i]);
        assert_non_null(s);
        assert_string_not_equal(s, "unknown error");
        for (j = 0; j < i; j++)
            assert_string_not_equal(s, lisp_strerror(codes[j]));
        assert_int_equal(lisp_err_is_packet_error(codes[i]), codes[i] < 0 && codes[i] > -20);
    }
    assert_string_equal(lisp_strerror(-10), "unknown error");
    assert_string_equal(lisp_strerror(1), "unknown error");
    assert_false(lisp_err_is_packet_error(LISP_OK));
    assert_false(lisp_err_is_packet_error(1));
}

/* Empty input and output given as (NULL, 0) are handled without pointer arithmetic on
 * NULL (undefined behaviour that clang's UBSan reports). */
static void test_null_empty_buffers(void **state)
{
    size_t len = 0;

    (void)state;
    lt_assert_rc(lisp_msg_decode(&g_out, NULL, 0), LISP_ERR_TRUNCATED);
    lt_assert_rc(lisp_msg_peek_type(NULL, 0), LISP_ERR_TRUNCATED);
    lt_sample_map_request(&g_in);
    lt_assert_rc(lisp_msg_encode(&g_in, NULL, 0, &len), LISP_ERR_NOBUF);
    build_ecm(&g_in, 0, LISP_AFI_IPV4, kat_map_request, sizeof kat_map_request);
    lt_assert_rc(lisp_msg_encode(&g_in, NULL, 0, &len), LISP_ERR_NOBUF);
}

/* lisp_msg_reset clears the member of its type (all of it), not the rest of the union. */
static void test_msg_reset_clears_one_member(void **state)
{
    static lisp_msg m;
    static const uint8_t zero[sizeof m.u];
    (void)state;

    memset(&m, 0xAA, sizeof m);
    lisp_msg_reset(&m, LISP_MAP_NOTIFY);
    assert_int_equal(m.type, LISP_MAP_NOTIFY);
    assert_memory_equal(&m.u.mreg, zero, sizeof m.u.mreg);
    assert_int_equal(((const uint8_t *)&m.u)[sizeof m.u - 1], 0xAA); /* the rest untouched */

    memset(&m, 0xAA, sizeof m);
    lisp_msg_reset(&m, LISP_MAP_REQUEST);
    assert_memory_equal(&m.u.mreq, zero, sizeof m.u.mreq);
    lisp_msg_reset(&m, LISP_MAP_REPLY);
    assert_memory_equal(&m.u.mrep, zero, sizeof m.u.mrep);
    lisp_msg_reset(&m, LISP_INFO);
    assert_memory_equal(&m.u.info, zero, sizeof m.u.info);
    lisp_msg_reset(&m, LISP_ECM);
    assert_memory_equal(&m.u.ecm, zero, sizeof m.u.ecm);

    memset(&m, 0xAA, sizeof m);
    lisp_msg_reset(&m, 15); /* no such type: all of it */
    assert_memory_equal(&m.u, zero, sizeof m.u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_msg_reset_clears_one_member),
        cmocka_unit_test(test_map_request_known_answer_minimal),
        cmocka_unit_test(test_map_request_known_answer_flags),
        cmocka_unit_test(test_map_request_roundtrip),
        cmocka_unit_test(test_map_request_itr_rloc_counts),
        cmocka_unit_test(test_map_request_m_bit_follows_has_map_reply),
        cmocka_unit_test(test_map_reply_known_answer),
        cmocka_unit_test(test_map_reply_roundtrip),
        cmocka_unit_test(test_map_reply_record_fields),
        cmocka_unit_test(test_map_reply_max_records_and_locators),
        cmocka_unit_test(test_map_register_known_answer),
        cmocka_unit_test(test_map_notify_known_answer),
        cmocka_unit_test(test_map_register_roundtrip),
        cmocka_unit_test(test_map_notify_roundtrip),
        cmocka_unit_test(test_ecm_known_answer),
        cmocka_unit_test(test_ecm_roundtrip),
        cmocka_unit_test(test_ecm_flag_bits),
        cmocka_unit_test(test_ecm_inner_errors),
        cmocka_unit_test(test_info_request_known_answer),
        cmocka_unit_test(test_info_reply_known_answer),
        cmocka_unit_test(test_info_request_roundtrip),
        cmocka_unit_test(test_info_reply_roundtrip),
        cmocka_unit_test(test_reserved_bits_ignored),
        cmocka_unit_test(test_unknown_types),
        cmocka_unit_test(test_too_many_records),
        cmocka_unit_test(test_too_many_locators),
        cmocka_unit_test(test_too_many_rtrs),
        cmocka_unit_test(test_too_many_afi_list_elements),
        cmocka_unit_test(test_bad_mask_len),
        cmocka_unit_test(test_bad_afi),
        cmocka_unit_test(test_bad_lcaf_length),
        cmocka_unit_test(test_bad_auth_len),
        cmocka_unit_test(test_encode_invalid_args),
        cmocka_unit_test(test_encode_nobuf),
        cmocka_unit_test(test_type_names_and_peek),
        cmocka_unit_test(test_error_vocabulary),
        cmocka_unit_test(test_null_empty_buffers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* lisp_test_util.c - helpers shared by the codec unit tests (see lisp_test_util.h). */
#include "lisp_test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Exactly-sized heap copy, so that AddressSanitizer sees reads past len. */
static uint8_t *dup_exact(const uint8_t *buf, size_t len)
{
    uint8_t *p = malloc(len ? len : 1);
    assert_non_null(p);
    if (len)
        memcpy(p, buf, len);
    return p;
}

void lt_hexdump(const char *label, const uint8_t *buf, size_t len)
{
    size_t i;

    fprintf(stderr, "%s (%zu bytes):", label, len);
    for (i = 0; i < len; i++)
        fprintf(stderr, "%s%02x", i % 16 ? " " : "\n  ", buf[i]);
    fprintf(stderr, "\n");
}

int lt_decode_msg(const uint8_t *buf, size_t len)
{
    static lisp_msg m;
    return lisp_msg_decode(&m, buf, len);
}

void lt_assert_prefixes_truncated(lt_decode_fn decode, const uint8_t *buf, size_t len)
{
    size_t n;

    for (n = 0; n < len; n++) {
        uint8_t *p = dup_exact(buf, n);
        int rc = decode(p, n);
        free(p);
        if (rc != LISP_ERR_TRUNCATED) {
            lt_hexdump("input", buf, len);
            fail_msg("prefix of %zu of %zu bytes: %d (%s), want LISP_ERR_TRUNCATED", n, len, rc,
                     lisp_strerror(rc));
        }
    }
}

void lt_assert_trailing_byte(lt_decode_fn decode, const uint8_t *buf, size_t len, int want)
{
    uint8_t *p = malloc(len + 1);

    assert_non_null(p);
    memcpy(p, buf, len);
    p[len] = 0;
    lt_assert_rc(decode(p, len + 1), want);
    free(p);
}

void lt_assert_decodes(lt_decode_fn decode, const uint8_t *buf, size_t len)
{
    uint8_t *p = dup_exact(buf, len);
    lt_assert_ok(decode(p, len));
    free(p);
}

void lt_assert_addr_equal(const lisp_addr *want, const lisp_addr *got)
{
    char a[LISP_ADDR_STR_MAX], b[LISP_ADDR_STR_MAX];

    if (!lisp_addr_equal(want, got))
        fail_msg("address %s (lcaf %u, iid mask %u) != %s (lcaf %u, iid mask %u)",
                 lisp_addr_to_str(want, a, sizeof a), want->lcaf, want->iid_mask_len,
                 lisp_addr_to_str(got, b, sizeof b), got->lcaf, got->iid_mask_len);
}

static void assert_afi_equal(const lisp_afi_addr *want, const lisp_afi_addr *got)
{
    char a[LISP_ADDR_STR_MAX], b[LISP_ADDR_STR_MAX];

    if (!lisp_afi_equal(want, got))
        fail_msg("address %s != %s", lisp_afi_to_str(want, a, sizeof a),
                 lisp_afi_to_str(got, b, sizeof b));
}

static void assert_prefix_equal(const lisp_prefix *want, const lisp_prefix *got)
{
    assert_int_equal(want->mask_len, got->mask_len);
    lt_assert_addr_equal(&want->addr, &got->addr);
}

/* Authentication data: NULL on the encode side stands for zeros. */
static void assert_auth_equal(const uint8_t *want, const uint8_t *got, uint16_t len)
{
    static const uint8_t zeros[LISP_AUTH_MAX];

    if (len == 0)
        return;
    assert_non_null(got);
    assert_memory_equal(want ? want : zeros, got, len);
}

void lt_assert_record_equal(const lisp_record *want, const lisp_record *got)
{
    unsigned i;

    assert_int_equal(want->ttl, got->ttl);
    assert_int_equal(want->action, got->action);
    assert_int_equal(want->authoritative, got->authoritative);
    assert_int_equal(want->map_version, got->map_version);
    assert_prefix_equal(&want->eid, &got->eid);
    assert_int_equal(want->loc_count, got->loc_count);
    for (i = 0; i < want->loc_count; i++) {
        const lisp_locator *x = &want->locators[i], *y = &got->locators[i];
        assert_int_equal(x->priority, y->priority);
        assert_int_equal(x->weight, y->weight);
        assert_int_equal(x->mpriority, y->mpriority);
        assert_int_equal(x->mweight, y->mweight);
        assert_int_equal(x->flags & LISP_LOC_FLAGS, y->flags);
        lt_assert_addr_equal(&x->addr, &y->addr);
    }
}

static void assert_records_equal(unsigned n, const lisp_record *want, const lisp_record *got)
{
    unsigned i;
    for (i = 0; i < n; i++)
        lt_assert_record_equal(&want[i], &got[i]);
}

static void assert_mreq_equal(const lisp_map_request *x, const lisp_map_request *y)
{
    unsigned i;

    /* M is derived from has_map_reply on encode and reported in flags on decode. */
    assert_int_equal(x->flags & LISP_MREQ_FLAGS & ~LISP_MREQ_F_M, y->flags & ~LISP_MREQ_F_M);
    assert_int_equal(x->has_map_reply, y->has_map_reply);
    assert_int_equal(y->has_map_reply, (y->flags & LISP_MREQ_F_M) != 0);
    assert_int_equal(x->nonce, y->nonce);
    lt_assert_addr_equal(&x->source_eid, &y->source_eid);
    assert_int_equal(x->itr_rloc_count, y->itr_rloc_count);
    for (i = 0; i < x->itr_rloc_count; i++)
        lt_assert_addr_equal(&x->itr_rlocs[i], &y->itr_rlocs[i]);
    assert_int_equal(x->record_count, y->record_count);
    for (i = 0; i < x->record_count; i++)
        assert_prefix_equal(&x->records[i], &y->records[i]);
    if (x->has_map_reply)
        lt_assert_record_equal(&x->map_reply, &y->map_reply);
}

static void assert_mreg_equal(uint8_t type, const lisp_map_register *x, const lisp_map_register *y)
{
    uint32_t mask = type == LISP_MAP_REGISTER ? LISP_MREG_FLAGS : LISP_MNOT_FLAGS;
    uint32_t ibit = type == LISP_MAP_REGISTER ? LISP_MREG_F_I : LISP_MNOT_F_I;

    assert_int_equal(x->flags & mask, y->flags);
    assert_int_equal(x->nonce, y->nonce);
    assert_int_equal(x->key_id, y->key_id);
    assert_int_equal(x->auth_len, y->auth_len);
    assert_auth_equal(x->auth, y->auth, x->auth_len);
    assert_int_equal(x->record_count, y->record_count);
    assert_records_equal(x->record_count, x->records, y->records);
    if (x->flags & ibit) {
        assert_memory_equal(x->xtr_id, y->xtr_id, LISP_XTR_ID_LEN);
        assert_memory_equal(x->site_id, y->site_id, LISP_SITE_ID_LEN);
    }
    if (type == LISP_MAP_NOTIFY && (x->flags & LISP_MNOT_F_R)) {
        assert_int_equal(x->msrtr_key_id, y->msrtr_key_id);
        assert_int_equal(x->msrtr_auth_len, y->msrtr_auth_len);
        assert_auth_equal(x->msrtr_auth, y->msrtr_auth, x->msrtr_auth_len);
    }
}

static void assert_info_equal(const lisp_info *x, const lisp_info *y)
{
    unsigned i;

    assert_int_equal(x->flags & LISP_INFO_F_R, y->flags);
    assert_int_equal(x->nonce, y->nonce);
    assert_int_equal(x->key_id, y->key_id);
    assert_int_equal(x->auth_len, y->auth_len);
    assert_auth_equal(x->auth, y->auth, x->auth_len);
    assert_int_equal(x->ttl, y->ttl);
    assert_prefix_equal(&x->eid, &y->eid);
    if (!(x->flags & LISP_INFO_F_R)) {
        assert_int_equal(x->hostname.len, y->hostname.len);
        if (x->hostname.len)
            assert_memory_equal(x->hostname.ptr, y->hostname.ptr, x->hostname.len);
        return;
    }
    assert_int_equal(x->natt.ms_port, y->natt.ms_port);
    assert_int_equal(x->natt.etr_port, y->natt.etr_port);
    assert_afi_equal(&x->natt.global_etr, &y->natt.global_etr);
    assert_afi_equal(&x->natt.ms, &y->natt.ms);
    assert_afi_equal(&x->natt.private_etr, &y->natt.private_etr);
    assert_int_equal(x->natt.rtr_count, y->natt.rtr_count);
    for (i = 0; i < x->natt.rtr_count; i++)
        assert_afi_equal(&x->natt.rtrs[i], &y->natt.rtrs[i]);
}

static void assert_ecm_equal(const lisp_ecm *x, const lisp_ecm *y)
{
    size_t alen = x->inner.afi == LISP_AFI_IPV4 ? 4 : 16;

    assert_int_equal(x->flags & LISP_ECM_FLAGS, y->flags);
    assert_int_equal(x->inner.afi, y->inner.afi);
    assert_memory_equal(x->inner.src, y->inner.src, alen);
    assert_memory_equal(x->inner.dst, y->inner.dst, alen);
    assert_int_equal(x->inner.sport, y->inner.sport);
    assert_int_equal(x->inner.dport, y->inner.dport);
    assert_int_equal(x->inner.ttl, y->inner.ttl);
    assert_int_equal(x->inner.tos, y->inner.tos);
    assert_int_equal(x->payload_len, y->payload_len);
    if (x->payload_len)
        assert_memory_equal(x->payload, y->payload, x->payload_len);
}

void lt_assert_msg_equal(const lisp_msg *want, const lisp_msg *got)
{
    assert_int_equal(want->type, got->type);
    switch (want->type) {
    case LISP_MAP_REQUEST:
        assert_mreq_equal(&want->u.mreq, &got->u.mreq);
        break;
    case LISP_MAP_REPLY:
        assert_int_equal(want->u.mrep.flags & LISP_MREP_FLAGS, got->u.mrep.flags);
        assert_int_equal(want->u.mrep.nonce, got->u.mrep.nonce);
        assert_int_equal(want->u.mrep.record_count, got->u.mrep.record_count);
        assert_records_equal(want->u.mrep.record_count, want->u.mrep.records, got->u.mrep.records);
        break;
    case LISP_MAP_REGISTER:
    case LISP_MAP_NOTIFY:
    case LISP_MAP_NOTIFY_ACK:
        assert_mreg_equal(want->type, &want->u.mreg, &got->u.mreg);
        break;
    case LISP_INFO:
        assert_info_equal(&want->u.info, &got->u.info);
        break;
    case LISP_ECM:
        assert_ecm_equal(&want->u.ecm, &got->u.ecm);
        break;
    default:
        fail_msg("unexpected message type %u", want->type);
    }
}

size_t lt_msg_roundtrip(const lisp_msg *m, lisp_msg *out, uint8_t *wire)
{
    static uint8_t again[LISP_MSG_MAX];
    size_t len = 0, len2 = 0, cap, dummy;

    lt_assert_ok(lisp_msg_encode(m, wire, LISP_MSG_MAX, &len));
    assert_true(len >= 4);
    assert_int_equal(lisp_msg_peek_type(wire, len), m->type);

    /* Every smaller output buffer fails cleanly, without writing past its end. */
    for (cap = 0; cap < len; cap++) {
        uint8_t *small = malloc(cap ? cap : 1);
        assert_non_null(small);
        lt_assert_rc(lisp_msg_encode(m, small, cap, &dummy), LISP_ERR_NOBUF);
        free(small);
    }

    lt_assert_decodes(lt_decode_msg, wire, len);
    lt_assert_ok(lisp_msg_decode(out, wire, len));
    lt_assert_msg_equal(m, out);

    lt_assert_ok(lisp_msg_encode(out, again, sizeof again, &len2));
    if (len2 != len || memcmp(wire, again, len) != 0) {
        lt_hexdump("first encoding", wire, len);
        lt_hexdump("re-encoding", again, len2);
        fail_msg("re-encoding the decoded message changed its bytes");
    }

    lt_assert_prefixes_truncated(lt_decode_msg, wire, len);
    lt_assert_trailing_byte(lt_decode_msg, wire, len, LISP_ERR_BAD_LENGTH);
    return len;
}

lisp_afi_addr lt_ip(const char *text)
{
    lisp_afi_addr a;
    lt_assert_ok(lisp_afi_from_str(&a, text));
    return a;
}

lisp_addr lt_addr(const char *text)
{
    return lisp_addr_plain(lt_ip(text));
}

static void fill_locator(lisp_locator *l, uint8_t prio, uint8_t weight, uint16_t flags,
                         lisp_addr addr)
{
    memset(l, 0, sizeof *l);
    l->priority = prio;
    l->weight = weight;
    l->mpriority = 255;
    l->mweight = 0;
    l->flags = flags;
    l->addr = addr;
}

void lt_sample_map_register(lisp_msg *m, uint8_t type, uint32_t flags, uint16_t key_id,
                            uint16_t auth_len)
{
    lisp_map_register *g = &m->u.mreg;
    lisp_record *r = m->record_pool;
    lisp_locator *l = m->locator_pool;
    unsigned i;

    memset(m, 0, sizeof *m);
    m->type = type;
    g->flags = flags;
    g->nonce = 0x0123456789abcdefull;
    g->key_id = key_id;
    g->auth_len = auth_len;
    g->record_count = 2;
    g->records = r;

    r[0].ttl = 1440;
    r[0].authoritative = true;
    r[0].eid.mask_len = 16;
    r[0].eid.addr = lt_addr("10.1.0.0");
    r[0].loc_count = 2;
    r[0].locators = &l[0];
    fill_locator(&l[0], 1, 50, LISP_LOC_F_L | LISP_LOC_F_R, lt_addr("192.0.2.1"));
    fill_locator(&l[1], 1, 50, LISP_LOC_F_R, lt_addr("198.51.100.7"));

    r[1].ttl = 0xFFFFFFFFu;
    r[1].map_version = 0x123;
    r[1].eid.mask_len = 32;
    r[1].eid.addr = lisp_addr_iid(7, lt_ip("2001:db8::"));
    r[1].loc_count = 1;
    r[1].locators = &l[2];
    fill_locator(&l[2], 2, 100, LISP_LOC_F_R, lt_addr("2001:db8:ffff::1"));

    for (i = 0; i < LISP_XTR_ID_LEN; i++)
        g->xtr_id[i] = (uint8_t)i;
    for (i = 0; i < LISP_SITE_ID_LEN; i++)
        g->site_id[i] = (uint8_t)(0xA0 + i);
}

void lt_sample_info_request(lisp_msg *m, uint16_t key_id, uint16_t auth_len, const char *hostname)
{
    lisp_info *in = &m->u.info;

    memset(m, 0, sizeof *m);
    m->type = LISP_INFO;
    in->nonce = 0x0badc0ffee000001ull;
    in->key_id = key_id;
    in->auth_len = auth_len;
    in->ttl = 1440;
    in->eid.mask_len = 16;
    in->eid.addr = lt_addr("10.1.0.0");
    if (hostname) {
        in->hostname.ptr = (const uint8_t *)hostname;
        in->hostname.len = (uint16_t)strlen(hostname);
    }
}

void lt_sample_map_request(lisp_msg *m)
{
    lisp_map_request *q = &m->u.mreq;

    memset(m, 0, sizeof *m);
    m->type = LISP_MAP_REQUEST;
    q->nonce = 0x1122334455667788ull;
    q->source_eid = lt_addr("10.1.1.1");
    q->itr_rloc_count = 1;
    q->itr_rlocs[0] = lt_addr("192.0.2.1");
    q->record_count = 1;
    q->records[0].mask_len = 16;
    q->records[0].addr = lt_addr("10.2.0.0");
}

/* ---------------------------------------------------------------------------------------- */
/* Engine tests                                                                             */
/* ---------------------------------------------------------------------------------------- */

lisp_endpoint lt_endpoint(const char *ip, uint16_t port)
{
    lisp_afi_addr a = lt_ip(ip);
    lisp_endpoint e;

    memset(&e, 0, sizeof e);
    e.afi = a.afi;
    e.port = port;
    memcpy(e.addr, a.ip, 16);
    return e;
}

lisp_eid lt_eid(const char *ip, uint8_t mask_len, uint32_t iid)
{
    lisp_afi_addr a = lt_ip(ip);
    lisp_eid e;

    memset(&e, 0, sizeof e);
    e.iid = iid;
    e.afi = a.afi;
    e.mask_len = mask_len;
    memcpy(e.addr, a.ip, a.afi == LISP_AFI_IPV4 ? 4 : 16);
    return e;
}

/* Only codec functions here, so that codec tests link without the engines. */
void lt_assert_endpoint(const lisp_endpoint *got, const char *ip, uint16_t port)
{
    lisp_endpoint want = lt_endpoint(ip, port);
    size_t n = want.afi == LISP_AFI_IPV4 ? 4 : 16;
    char text[LISP_ADDR_STR_MAX];
    lisp_afi_addr a;

    memset(&a, 0, sizeof a);
    a.afi = got->afi;
    if (got->afi == LISP_AFI_IPV4 || got->afi == LISP_AFI_IPV6)
        memcpy(a.ip, got->addr, 16);
    if (got->afi != want.afi || got->port != want.port || memcmp(got->addr, want.addr, n) != 0)
        fail_msg("endpoint %s port %u, want %s port %u", lisp_afi_to_str(&a, text, sizeof text),
                 got->port, ip, port);
}

void lt_assert_eid(const lisp_eid *got, const char *ip, uint8_t mask_len, uint32_t iid)
{
    lisp_eid want = lt_eid(ip, mask_len, iid);
    size_t n = want.afi == LISP_AFI_IPV4 ? 4 : 16;
    char text[LISP_ADDR_STR_MAX];
    lisp_afi_addr a;

    memset(&a, 0, sizeof a);
    a.afi = got->afi;
    memcpy(a.ip, got->addr, got->afi == LISP_AFI_IPV4 ? 4 : 16);
    if (got->afi != want.afi || got->iid != want.iid || got->mask_len != want.mask_len ||
        memcmp(got->addr, want.addr, n) != 0)
        fail_msg("prefix [%u]%s/%u, want [%u]%s/%u", (unsigned)got->iid,
                 lisp_afi_to_str(&a, text, sizeof text), got->mask_len, (unsigned)iid, ip,
                 mask_len);
}

size_t lt_encode_signed(const lisp_msg *m, const uint8_t *key, size_t key_len, uint8_t *buf,
                        size_t cap)
{
    size_t len = 0;

    lt_assert_ok(lisp_msg_encode(m, buf, cap, &len));
    lt_assert_ok(lisp_auth_sign(buf, len, key, key_len));
    return len;
}

size_t lt_encode_ecm(const lisp_msg *inner, uint32_t flags, const char *inner_src,
                     const char *inner_dst, uint16_t inner_sport, uint8_t *buf, size_t cap)
{
    lisp_afi_addr s = lt_ip(inner_src), d = lt_ip(inner_dst);
    uint8_t *payload = malloc(LISP_MSG_MAX);
    size_t payload_len = 0, len = 0;
    lisp_msg *ecm = calloc(1, sizeof *ecm);

    assert_non_null(payload);
    assert_non_null(ecm);
    assert_int_equal(s.afi, d.afi);
    lt_assert_ok(lisp_msg_encode(inner, payload, LISP_MSG_MAX, &payload_len));
    ecm->type = LISP_ECM;
    ecm->u.ecm.flags = flags;
    ecm->u.ecm.inner.afi = s.afi;
    memcpy(ecm->u.ecm.inner.src, s.ip, 16);
    memcpy(ecm->u.ecm.inner.dst, d.ip, 16);
    ecm->u.ecm.inner.sport = inner_sport;
    ecm->u.ecm.inner.dport = LISP_CONTROL_PORT;
    ecm->u.ecm.inner.ttl = 64;
    ecm->u.ecm.payload = payload;
    ecm->u.ecm.payload_len = payload_len;
    lt_assert_ok(lisp_msg_encode(ecm, buf, cap, &len));
    free(ecm);
    free(payload);
    return len;
}

uint64_t lt_xorshift(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

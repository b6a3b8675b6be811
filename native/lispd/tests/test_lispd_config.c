/*
 * test_lispd_config.c - lispd's configuration parser: good files give the engine configs
 * they say, bad ones an error naming the file, the right line (comments included, which
 * libconfuse alone miscounts) and the problem; and what a reload may apply in place.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lispd_config.h"
#include "lispd_role.h"

static char dir[] = "/tmp/lispd-config-test-XXXXXX";

/* Write text to NAME in the test folder; returns its path (static buffer per call site). */
static const char *write_file(const char *name, const char *text, char *path, size_t cap)
{
    FILE *f;
    snprintf(path, cap, "%s/%s", dir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* Load text; expect failure with "<path>:<line>: " and needle in the message. */
static void expect_error(const char *text, int line, const char *needle)
{
    char path[256], err[512], prefix[300];
    lispd_config c;
    write_file("bad.conf", text, path, sizeof path);
    assert_int_equal(lispd_config_load(path, &c, err, sizeof err), -1);
    lispd_config_free(&c);
    if (line > 0)
        snprintf(prefix, sizeof prefix, "%s:%d: ", path, line);
    else
        snprintf(prefix, sizeof prefix, "%s: ", path);
    if (strncmp(err, prefix, strlen(prefix)) != 0 || !strstr(err, needle))
        fail_msg("error \"%s\", wanted \"%s...%s\"", err, prefix, needle);
}

static const char xtr_text[] = "# an xTR\n"
                               "role = \"xtr\"   # trailing comment\n"
                               "log-level = \"debug\"\n"
                               "// another comment style\n"
                               "tun {\n"
                               "    name = \"lisp9\"\n"
                               "    mtu = 1300\n"
                               "    eid-routes = { \"10.0.0.0/8\", \"2001:db8::/32\" }\n"
                               "}\n"
                               "eid-prefix \"10.1.0.0/24\" {\n"
                               "    iid = 7\n"
                               "}\n"
                               "rloc \"192.0.2.1\" {\n"
                               "    priority = 2\n"
                               "}\n"
                               "rloc-interface \"eth0\" {\n"
                               "    weight = 50\n"
                               "}\n"
                               "map-resolver = { \"192.0.2.100\" }\n"
                               "map-server \"192.0.2.100\" {\n"
                               "    key-id = 2\n"
                               "    key = \"pass#word\"   # a # inside a string is no comment\n"
                               "}\n"
                               "proxy-etr = { \"192.0.2.200\" }\n"
                               "miss-policy = \"queue\"\n"
                               "request-timeout = 0.5\n"
                               "xtr-id = \"0123456789abcdef0123456789abcdef\"\n";

static void test_xtr(void **state)
{
    char path[256], err[512];
    lispd_config c;
    (void)state;
    write_file("xtr.conf", xtr_text, path, sizeof path);
    assert_int_equal(lispd_config_load(path, &c, err, sizeof err), 0);
    assert_string_equal(c.role->name, "xtr");
    assert_int_equal(c.log_level, LISP_LOG_DEBUG);
    assert_true(c.has_tun);
    assert_string_equal(c.tun_name, "lisp9");
    assert_int_equal(c.tun_mtu, 1300);
    assert_int_equal(c.n_eid_routes, 2);
    assert_int_equal(c.eid_routes[1].afi, LISP_AFI_IPV6);
    assert_int_equal(c.eid_routes[1].mask_len, 32);
    assert_int_equal(c.xtr.n_eids, 1);
    assert_int_equal(c.xtr.eids[0].iid, 7);
    assert_int_equal(c.xtr.eids[0].mask_len, 24);
    assert_int_equal(c.n_rlocs, 1);
    assert_int_equal(c.rlocs[0].priority, 2);
    assert_int_equal(c.rlocs[0].weight, 100);
    assert_int_equal(c.n_rloc_ifs, 1);
    assert_string_equal(c.rloc_ifs[0].ifname, "eth0");
    assert_int_equal(c.rloc_ifs[0].weight, 50);
    assert_int_equal(c.xtr.n_map_resolvers, 1);
    assert_int_equal(c.xtr.n_map_servers, 1);
    assert_int_equal(c.xtr.map_servers[0].key_id, 2);
    assert_int_equal(c.xtr.map_servers[0].key_len, 9);
    assert_memory_equal(c.xtr.map_servers[0].key, "pass#word", 9);
    assert_int_equal(c.xtr.n_petrs, 1);
    assert_int_equal(c.xtr.miss_policy, LISP_MISS_QUEUE);
    assert_int_equal(c.xtr.request_timeout, 500 * LISP_NS_PER_MS);
    assert_true(c.xtr.use_xtr_id);
    assert_int_equal(c.xtr.xtr_id[0], 0x01);
    /* not in the file: the engine's defaults */
    assert_int_equal(c.xtr.register_interval, 60 * LISP_NS_PER_SEC);
    assert_string_equal(c.control_socket, LISPD_CONTROL_SOCKET_DEFAULT);
    assert_int_equal(c.control_mode, 0600);
    assert_false(c.xtr.pitr);
    lispd_config_free(&c);
}

static void test_ms_mr(void **state)
{
    char path[256], err[512];
    lispd_config c;
    (void)state;
    write_file("msmr.conf",
               "role = \"ms+mr\"\n"
               "registration-ttl = 120\n"
               "negative-ttl = 60\n"
               "site \"a\" {\n"
               "  key = \"k\"\n"
               "  eid-prefix = { \"10.1.0.0/24\", \"[5]10.9.0.0/16\" }\n"
               "  accept-more-specifics = true\n"
               "}\n"
               "delegate \"10.3.0.0/16\" { map-server = \"192.0.2.101\" }\n"
               "control-socket-mode = \"0660\"\n",
               path, sizeof path);
    assert_int_equal(lispd_config_load(path, &c, err, sizeof err), 0);
    assert_int_equal(c.n_sites, 1);
    assert_string_equal(c.sites[0].name, "a");
    assert_int_equal(c.sites[0].key_id, 1);
    assert_int_equal(c.sites[0].n_prefixes, 2);
    assert_int_equal(c.sites[0].prefixes[1].prefix.iid, 5);
    assert_true(c.sites[0].prefixes[0].accept_more_specifics);
    assert_int_equal(c.ms.registration_ttl, 120 * LISP_NS_PER_SEC);
    assert_int_equal(c.ms.negative_ttl, 60 * LISP_NS_PER_SEC);
    assert_int_equal(c.mr.negative_ttl, 60 * LISP_NS_PER_SEC);
    assert_int_equal(c.n_delegations, 1);
    assert_int_equal(c.delegations[0].map_server.afi, LISP_AFI_IPV4);
    assert_int_equal(c.control_mode, 0660);
    lispd_config_free(&c);
}

static void test_nat(void **state)
{
    static const uint8_t pub0[4] = {198, 51, 100, 1}, pub1[4] = {198, 51, 100, 2};
    char path[256], err[512];
    lispd_config c;
    (void)state;
    write_file("nat.conf",
               "role = \"nat\"\n"
               "inside-interface = \"in0\"\n"
               "outside-interface = \"out0\"   # comment\n"
               "public-addresses = { \"198.51.100.1\", \"198.51.100.2\" }\n"
               "preset = \"symmetric\"\n"
               "filtering = \"address-dependent\"   # refines the preset\n"
               "pooling = \"arbitrary\"\n"
               "port-range = \"40000-49999\"\n"
               "timeouts {\n  udp = 30\n  icmp = 0.5\n}\n"
               "inbound-refresh = true\n"
               "hairpinning = false\n"
               "max-mappings = 100\n"
               "queue = 7\n",
               path, sizeof path);
    assert_int_equal(lispd_config_load(path, &c, err, sizeof err), 0);
    assert_string_equal(c.role->name, "nat");
    assert_string_equal(c.role->engine, "nat");
    assert_false(c.has_tun);
    assert_string_equal(c.nat_inside, "in0");
    assert_string_equal(c.nat_outside, "out0");
    assert_int_equal(c.nat_queue, 7);
    assert_int_equal(c.nat.n_public, 2);
    assert_memory_equal(c.nat.public_addrs[0], pub0, 4);
    assert_memory_equal(c.nat.public_addrs[1], pub1, 4);
    /* symmetric: address-and-port-dependent mapping, random ports; filtering refined */
    assert_int_equal(c.nat.mapping, LISP_NAT_ADDRESS_PORT_DEPENDENT);
    assert_int_equal(c.nat.filtering, LISP_NAT_ADDRESS_DEPENDENT);
    assert_int_equal(c.nat.port_policy, LISP_NAT_PORT_RANDOM);
    assert_int_equal(c.nat.pooling, LISP_NAT_POOL_ARBITRARY);
    assert_int_equal(c.nat.port_min, 40000);
    assert_int_equal(c.nat.port_max, 49999);
    assert_int_equal(c.nat.udp_timeout, 30 * LISP_NS_PER_SEC);
    assert_int_equal(c.nat.icmp_timeout, 500 * LISP_NS_PER_MS);
    assert_int_equal(c.nat.tcp_established_timeout, 124 * 60 * LISP_NS_PER_SEC); /* default */
    assert_int_equal(c.nat.tcp_transitory_timeout, 4 * 60 * LISP_NS_PER_SEC);    /* default */
    assert_true(c.nat.inbound_refresh);
    assert_false(c.nat.hairpinning);
    assert_int_equal(c.nat.max_mappings, 100);
    lispd_config_free(&c);

    /* the smallest file: the engine's defaults (port-restricted cone, port preserved) */
    write_file("nat-min.conf",
               "role = \"nat\"\ninside-interface = \"a\"\noutside-interface = \"b\"\n"
               "public-addresses = { \"192.0.2.1\" }\n",
               path, sizeof path);
    assert_int_equal(lispd_config_load(path, &c, err, sizeof err), 0);
    assert_int_equal(c.nat.mapping, LISP_NAT_ENDPOINT_INDEPENDENT);
    assert_int_equal(c.nat.filtering, LISP_NAT_ADDRESS_PORT_DEPENDENT);
    assert_int_equal(c.nat.port_policy, LISP_NAT_PORT_PRESERVE);
    assert_int_equal(c.nat.port_min, 1024);
    assert_int_equal(c.nat.port_max, 65535);
    assert_int_equal(c.nat.udp_timeout, 5 * 60 * LISP_NS_PER_SEC);
    assert_true(c.nat.hairpinning);
    assert_int_equal(c.nat.max_mappings, 65536);
    assert_int_equal(c.nat_queue, 0);

    /* a reload may move the NAT to other interfaces and queues, not change behaviours */
    {
        char p2[256], p3[256];
        lispd_config moved, other;
        write_file("nat-moved.conf",
                   "role = \"nat\"\ninside-interface = \"c\"\noutside-interface = \"d\"\n"
                   "public-addresses = { \"192.0.2.1\" }\nqueue = 4\n",
                   p2, sizeof p2);
        write_file("nat-other.conf",
                   "role = \"nat\"\ninside-interface = \"a\"\noutside-interface = \"b\"\n"
                   "public-addresses = { \"192.0.2.1\" }\npreset = \"full-cone\"\n",
                   p3, sizeof p3);
        assert_int_equal(lispd_config_load(p2, &moved, err, sizeof err), 0);
        assert_int_equal(lispd_config_load(p3, &other, err, sizeof err), 0);
        assert_true(lispd_config_same_engine(&c, &moved));
        assert_false(lispd_config_same_engine(&c, &other));
        lispd_config_free(&moved);
        lispd_config_free(&other);
    }
    lispd_config_free(&c);
}

static void test_nat_errors(void **state)
{
#define NAT_HEAD                                                                                   \
    "role = \"nat\"\ninside-interface = \"in0\"\noutside-interface = \"out0\"\n"                   \
    "public-addresses = { \"198.51.100.1\" }\n"
    (void)state;
    expect_error("role = \"nat\"\n# c\noutside-interface = \"out0\"\n", 1,
                 "role nat needs inside-interface");
    expect_error("role = \"nat\"\ninside-interface = \"in0\"\noutside-interface = \"in0\"\n", 3,
                 "outside-interface is the inside-interface");
    expect_error("role = \"nat\"\ninside-interface = \"in0\"\noutside-interface = \"out0\"\n", 1,
                 "role nat needs public-addresses");
    expect_error("role = \"nat\"\ninside-interface = \"in0\"\noutside-interface = \"out0\"\n"
                 "# c\npublic-addresses = { \"2001:db8::1\" }\n",
                 5, "is not IPv4");
    expect_error("role = \"nat\"\ninside-interface = \"in0\"\noutside-interface = \"out0\"\n"
                 "public-addresses = { \"192.0.2.1\", \"192.0.2.1\" }\n",
                 4, "listed twice");
    expect_error(NAT_HEAD "# c\npreset = \"cone\"\n", 6, "preset 'cone' is not one of full-cone");
    expect_error(NAT_HEAD "mapping = \"random\"\n", 5,
                 "mapping 'random' is not one of endpoint-independent");
    expect_error(NAT_HEAD "port-policy = \"odd\"\n", 5, "port-policy 'odd' is not one of");
    expect_error(NAT_HEAD "pooling = \"any\"\n", 5, "pooling 'any' is not one of paired");
    expect_error(NAT_HEAD "port-range = \"2000-1000\"\n", 5, "port-range '2000-1000'");
    expect_error(NAT_HEAD "port-range = \"0-10\"\n", 5, "port-range '0-10'");
    expect_error(NAT_HEAD "port-range = \"1024-\"\n", 5, "port-range '1024-'");
    expect_error(NAT_HEAD "\ntimeouts {\n  udp = 0\n}\n", 6,
                 "timeouts udp must be a duration in seconds above 0");
    expect_error(NAT_HEAD "timeouts {\n  tcp = 5\n}\n", 6, "no such option 'tcp'");
    expect_error(NAT_HEAD "max-mappings = 0\n", 5, "max-mappings must be 1..");
    expect_error(NAT_HEAD "queue = 65535\n", 5, "queue must be 0..65534");
    /* keys of other roles, and NAT keys elsewhere */
    expect_error(NAT_HEAD "negative-ttl = 5\n", 5, "'negative-ttl' is not a key of role nat");
    expect_error(NAT_HEAD "tun {}\n", 5, "'tun' is not a key of role nat");
    expect_error("role = \"ms\"\n\nhairpinning = true\n", 3,
                 "'hairpinning' is not a key of role ms");
#undef NAT_HEAD
}

static void test_errors(void **state)
{
    (void)state;
    /* libconfuse's own errors, at the right line after comment lines */
    expect_error("# one\n# two\nrole = \"ms\"  # three\nbogus = 1\n", 4, "no such option 'bogus'");
    expect_error("role = \"ms\"\nsite \"a\" {\n  key = \"k\"\n  eid-prefix = { \"10.1.0.0/24\" }\n"
                 "}\nsite \"a\" {\n}\n",
                 6, "duplicate");
    /* ours */
    expect_error("# c\nlog-level = \"info\"\n", 0, "no role");
    expect_error("# c\nrole = \"router\"\n", 2, "unknown role 'router'");
    expect_error("role = \"xtr\"\n# c\n\nlog-level = \"loud\"\n", 4, "log-level 'loud'");
    expect_error("role = \"ms\"\nsite \"a\" {\n  key = \"k\"\n  # c\n"
                 "  eid-prefix = { \"10.1.0.1/24\" }\n}\n",
                 5, "host bits set (did you mean 10.1.0.0/24?)");
    expect_error("role = \"xtr\"\n# c\nnegative-ttl = 5\n", 3,
                 "'negative-ttl' is not a key of role xtr");
    expect_error("role = \"ms\"\n\nrloc \"192.0.2.1\" {\n}\n", 3, "'rloc' is not a key of role ms");
    expect_error("role = \"xtr\"\neid-prefix \"10.1.0.0/24\" {}\nrloc \"192.0.2.1\" {}\n", 1,
                 "needs a tun section");
    expect_error("role = \"xtr\"\ntun {}\neid-prefix \"10.1.0.0/24\" {}\n", 1, "at least one rloc");
    expect_error(
        "role = \"pitr\"\ntun {}\nrloc \"192.0.2.1\" {}\n\neid-prefix \"10.1.0.0/24\" {}\n", 5,
        "no EID-prefixes of its own");
    expect_error("role = \"xtr\"\ntun {}\neid-prefix \"10.1.0.0/24\" {}\nrloc \"192.0.2.1\" {}\n"
                 "map-server \"192.0.2.9\" {\n  key-id = 3\n  key = \"k\"\n}\n",
                 6, "key-id must be 1..2");
    expect_error("role = \"xtr\"\ntun {}\neid-prefix \"10.1.0.0/24\" {}\nrloc \"192.0.2.1\" {}\n"
                 "\nmap-server \"192.0.2.9\" {\n}\n",
                 6, "needs a key");
    expect_error("role = \"xtr\"\ntun {}\neid-prefix \"10.1.0.0/24\" {}\nrloc \"192.0.2.1\" {}\n"
                 "map-resolver = { \"mr.example\" }\n",
                 5, "'mr.example' is not an IPv4 or IPv6 address");
    expect_error("role = \"xtr\"\ntun {}\neid-prefix \"10.1.0.0/24\" {}\nrloc \"192.0.2.1\" {}\n"
                 "register-interval = 0\n",
                 5, "register-interval must be a duration in seconds above 0");
    expect_error(
        "role = \"ms\"\nsite \"a\" {\n  key = \"k\"\n  eid-prefix = { \"10.1.0.0/24\" }\n}\n"
        "site \"b\" {\n  key = \"k\"\n  eid-prefix = { \"10.1.0.0/24\" }\n}\n",
        8, "listed twice (sites \"a\" and \"b\")");
    expect_error("role = \"mr\"\ndelegate \"10.3.0.0/16\" {\n}\n", 2, "needs a map-server");
    expect_error("role = \"mr\"\n\ncontrol-socket-mode = \"0640x\"\n", 3,
                 "control-socket-mode '0640x' is not octal");
    expect_error("role = \"mr\"\ncontrol-socket-mode = \"0066\"\n", 2, "with 0600 set");
}

static void test_missing_file(void **state)
{
    char err[512];
    lispd_config c;
    (void)state;
    assert_int_equal(lispd_config_load("/nonexistent/lispd.conf", &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/lispd.conf: cannot open"));
    lispd_config_free(&c);
}

/* A reload applies routes, RLOCs and log settings in place; anything else needs a new
 * engine. */
static void test_same_engine(void **state)
{
    static const char base[] = "role = \"xtr\"\n"
                               "tun { eid-routes = { \"10.0.0.0/8\" } }\n"
                               "eid-prefix \"10.1.0.0/24\" {}\n"
                               "rloc \"192.0.2.1\" {}\n"
                               "map-server \"192.0.2.100\" { key = \"a\" }\n";
    static const char routes_rlocs[] = "role = \"xtr\"\nlog-level = \"debug\"\n"
                                       "tun { mtu = 1280\n eid-routes = { \"10.0.0.0/9\" } }\n"
                                       "eid-prefix \"10.1.0.0/24\" {}\n"
                                       "rloc \"192.0.2.2\" {}\n"
                                       "rloc-interface \"eth1\" {}\n"
                                       "map-server \"192.0.2.100\" { key = \"a\" }\n";
    static const char new_key[] = "role = \"xtr\"\n"
                                  "tun { eid-routes = { \"10.0.0.0/8\" } }\n"
                                  "eid-prefix \"10.1.0.0/24\" {}\n"
                                  "rloc \"192.0.2.1\" {}\n"
                                  "map-server \"192.0.2.100\" { key = \"b\" }\n";
    char p1[256], p2[256], p3[256], err[512];
    lispd_config a, b, c;
    (void)state;
    assert_int_equal(
        lispd_config_load(write_file("a.conf", base, p1, sizeof p1), &a, err, sizeof err), 0);
    assert_int_equal(
        lispd_config_load(write_file("b.conf", routes_rlocs, p2, sizeof p2), &b, err, sizeof err),
        0);
    assert_int_equal(
        lispd_config_load(write_file("c.conf", new_key, p3, sizeof p3), &c, err, sizeof err), 0);
    assert_true(lispd_config_same_engine(&a, &b));
    assert_false(lispd_config_same_engine(&a, &c));
    lispd_config_free(&a);
    lispd_config_free(&b);
    lispd_config_free(&c);
}

static void test_roles(void **state)
{
    (void)state;
    assert_true(lispd_role_find("pxtr")->pitr);
    assert_true(lispd_role_find("pxtr")->petr);
    assert_string_equal(lispd_role_find("petr")->engine, "xtr");
    assert_null(lispd_role_find("rtr"));
    assert_string_equal(lispd_role_find("nat")->engine, "nat");
    assert_int_equal(lispd_role_find("nat")->tun, LISPD_TUN_NONE);
    assert_non_null(strstr(lispd_role_names(), "ms+mr"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xtr),         cmocka_unit_test(test_ms_mr),
        cmocka_unit_test(test_nat),         cmocka_unit_test(test_nat_errors),
        cmocka_unit_test(test_errors),      cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_same_engine), cmocka_unit_test(test_roles),
    };
    int rc;
    char cmd[128];
    if (!mkdtemp(dir))
        return 1;
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return rc;
}

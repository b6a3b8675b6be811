# -*- Mode: python; py-indent-offset: 4; indent-tabs-mode: nil; coding: utf-8; -*-
"""waf build of the lisp module, for ns-3 trees up to ns-3.35 (as contrib/lisp).

It lists the same sources, headers, ns-3 dependencies and TestSuites as CMakeLists.txt;
the ctest test build/sources-consistent (test/check_sources.py) keeps the two in step.
"""


def configure(conf):
    # lisp_auth.c signs messages with libcrypto's OpenSSL 3 MAC API. Without it the
    # module is left out, as ns-3 does for other modules whose libraries are missing.
    have_crypto = conf.check_cfg(package='libcrypto', uselib_store='CRYPTO',
                                 args=['--cflags', '--libs'], mandatory=False)
    if have_crypto:
        have_crypto = conf.check_cfg(package='libcrypto', atleast_version='3.0',
                                     mandatory=False)
    conf.report_optional_feature('lisp', 'LISP module (libcrypto >= 3.0)', bool(have_crypto),
                                 'libcrypto >= 3.0 not found')
    if not have_crypto:
        conf.env['MODULES_NOT_BUILT'].append('lisp')
    # The examples write pcap files.
    conf.env['LISP_HAVE_PCAP'] = bool(conf.check(header_name='pcap/pcap.h', lib='pcap',
                                                 uselib_store='PCAP', mandatory=False))


def build(bld):
    module = bld.create_ns3_module('lisp', ['core', 'network', 'internet', 'applications',
                                            'virtual-net-device', 'point-to-point', 'csma'])
    # The C engines are compiled into the module, which create_ns3_module sets up for
    # C++ only: add waf's C feature, strict C11 and the flags for shared-library code.
    module.features += ' c'
    module.env.append_value('CFLAGS', ['-std=c11'] + module.env['CFLAGS_cshlib'])
    module.use.append('CRYPTO')
    module.source = [
        'model/lisp_error.c',
        'model/lisp_addr.c',
        'model/lisp_ipudp.c',
        'model/lisp_msg.c',
        'model/lisp_record.c',
        'model/lisp_msg_map.c',
        'model/lisp_msg_info.c',
        'model/lisp_msg_ecm.c',
        'model/lisp_data.c',
        'model/lisp_auth.c',
        'model/lisp_lpm.c',
        'model/lisp_lpm_lookup.c',
        'model/lisp_lpm_node.c',
        'model/lisp_lpm_query.c',
        'model/lisp_mapcache.c',
        'model/lisp_mapcache_heap.c',
        'model/lisp_mapcache_locset.c',
        'model/lisp_mapcache_query.c',
        'model/lisp_mapcache_record.c',
        'model/lisp_mapcache_slab.c',
        'model/lisp_mapcache_stats.c',
        'model/lisp_io.c',
        'model/lisp_xtr.c',
        'model/lisp_xtr_itr.c',
        'model/lisp_xtr_etr.c',
        'model/lisp_xtr_register.c',
        'model/lisp_ms.c',
        'model/lisp_ms_query.c',
        'model/lisp_ms_register.c',
        'model/lisp_ms_registry.c',
        'model/lisp_ms_request.c',
        'model/lisp_mr.c',
        'model/lisp_mr_dispatch.c',
        'model/lisp-time.cc',
        'model/lisp-engine-app.cc',
        'model/lisp-data-header.cc',
        'model/lisp-xtr.cc',
        'model/lisp-map-server.cc',
        'helper/lisp-helper.cc',
        'helper/lisp-trace-recorder.cc',
    ]

    module_test = bld.create_ns3_module_test_library('lisp')
    module_test.source = [
        'test/lisp-time-test-suite.cc',
        'test/lisp-overlay-test-suite.cc',
        'test/lisp-pxtr-test-suite.cc',
        'test/lisp-negative-test-suite.cc',
        'test/lisp-multihoming-test-suite.cc',
    ]

    headers = bld(features='ns3header')
    headers.module = 'lisp'
    headers.source = [
        'model/lisp.h',
        'model/lisp_types.h',
        'model/lisp_addr.h',
        'model/lisp_ipudp.h',
        'model/lisp_msg.h',
        'model/lisp_data.h',
        'model/lisp_auth.h',
        'model/lisp_mapcache.h',
        'model/lisp_io.h',
        'model/lisp_xtr.h',
        'model/lisp_ms.h',
        'model/lisp_mr.h',
        'model/lisp-time.h',
        'model/lisp-engine-app.h',
        'model/lisp-data-header.h',
        'model/lisp-xtr.h',
        'model/lisp-map-server.h',
        'helper/lisp-helper.h',
        'helper/lisp-trace-recorder.h',
    ]

    if bld.env['ENABLE_EXAMPLES'] and bld.path.find_node('examples/wscript'):
        bld.recurse('examples')

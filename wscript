# -*- Mode: python; py-indent-offset: 4; indent-tabs-mode: nil; coding: utf-8; -*-
"""waf build of the lisp module, for ns-3 trees up to ns-3.35 (as contrib/lisp).

It finds sources, headers and TestSuites with the same folder patterns as CMakeLists.txt
and names the same ns-3 dependencies; the ctest test build/sources-consistent
(test/check_sources.py) keeps the two in step.
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
    # The same folders and patterns as CMakeLists.txt (build/sources-consistent checks it):
    # model/engine/<component>/ holds the C engines, whose *_internal.h headers are private.
    module.source = bld.path.ant_glob(['model/engine/*/*.c', 'model/*.cc', 'helper/*.cc'])
    module.includes = [node.path_from(bld.path)
                       for node in bld.path.ant_glob('model/engine/*', dir=True, src=False)]
    # Engine headers include each other across those folders: users of the module too.
    module.export_includes = list(module.includes)
    # The ns-3 version for model/lisp-ns3-compat.h, from the tree's VERSION ("3.35").
    version = bld.srcnode.find_node('VERSION').read().strip()
    major, minor = (version.split('.') + ['999'])[:2] if '.' in version else (version[0], '999')
    module.defines = ['LISP_NS3_VERSION_MAJOR=' + major, 'LISP_NS3_VERSION_MINOR=' + minor]
    module.export_defines = list(module.defines)

    module_test = bld.create_ns3_module_test_library('lisp')
    module_test.source = bld.path.ant_glob(['test/lisp-*-test-suite.cc'])

    headers = bld(features='ns3header')
    headers.module = 'lisp'
    headers.source = bld.path.ant_glob(['model/engine/*/*.h', 'model/*.h', 'helper/*.h'],
                                       excl=['model/engine/*/*_internal.h'])

    if bld.env['ENABLE_EXAMPLES'] and bld.path.find_node('examples/wscript'):
        bld.recurse('examples')

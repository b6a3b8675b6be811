"""lispd inside a namespace: its configuration file (native/examples/*.conf syntax), the
daemon in the foreground, and lispctl on its control socket.

Only the Python standard library is used.
"""

import json
import os
import signal

from .netns import HarnessError, run_cmd, wait_for


def quote(text):
    return '"%s"' % str(text).replace("\\", "\\\\").replace('"', '\\"')


def string_list(items):
    return "{ %s }" % ", ".join(quote(i) for i in items)


def xtr_config(role, socket, eid_prefixes, rloc_interface, map_resolvers, tun_routes,
               map_servers=(), proxy_etrs=(), miss_policy="queue", register_interval=60,
               log_level="debug"):
    """An xTR-family configuration (role xtr, pitr, petr or pxtr).
    eid_prefixes: [(prefix, iid)]; map_servers: [(address, key_id, key)]."""
    lines = ['role = %s' % quote(role), 'log-level = %s' % quote(log_level),
             'control-socket = %s' % quote(socket), '',
             'tun {', '    name = "lisp0"', '    mtu = 1400',
             '    eid-routes = %s' % string_list(tun_routes), '}']
    for prefix, iid in eid_prefixes:
        lines += ['eid-prefix %s {' % quote(prefix), '    iid = %d' % iid, '}']
    lines += ['rloc-interface %s {' % quote(rloc_interface), '    priority = 1',
              '    weight = 100', '}']
    if map_resolvers:
        lines.append('map-resolver = %s' % string_list(map_resolvers))
    for address, key_id, key in map_servers:
        lines += ['map-server %s {' % quote(address), '    key-id = %d' % key_id,
                  '    key = %s' % quote(key), '}']
    if proxy_etrs:
        lines.append('proxy-etr = %s' % string_list(proxy_etrs))
    if eid_prefixes:
        lines.append('register-interval = %d' % register_interval)
    lines.append('miss-policy = %s' % quote(miss_policy))
    return "\n".join(lines) + "\n"


def ms_mr_config(socket, sites, log_level="debug"):
    """A Map-Server + Map-Resolver; sites: [(name, key_id, key, [prefixes])]."""
    lines = ['role = "ms+mr"', 'log-level = %s' % quote(log_level),
             'control-socket = %s' % quote(socket)]
    for name, key_id, key, prefixes in sites:
        lines += ['site %s {' % quote(name), '    key-id = %d' % key_id,
                  '    key = %s' % quote(key), '    eid-prefix = %s' % string_list(prefixes),
                  '}']
    return "\n".join(lines) + "\n"


class Lispd:
    """One lispd in a namespace, with its config file and control socket in the run dir."""

    def __init__(self, tools, node, config_text):
        self.tools = tools
        self.node = node
        self.config = node.run.path("%s.conf" % node.name)
        self.socket = node.run.path("%s.sock" % node.name)
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(config_text)
        self.proc = None

    def start(self, timeout=10.0):
        """Start in the foreground; return once the control socket answers."""
        self.proc = self.node.start([self.tools.lispd, "-c", self.config, "--foreground",
                                     "-s", self.socket], "lispd-%s" % self.node.name)
        if not wait_for(lambda: self.proc.popen.poll() is not None or self._answers(), timeout):
            raise HarnessError("lispd on %s: no answer on %s within %.0f s:\n%s"
                               % (self.node.name, self.socket, timeout, self.proc.log()))
        if self.proc.popen.poll() is not None:
            raise HarnessError("lispd on %s exited (%s):\n%s"
                               % (self.node.name, self.proc.popen.returncode, self.proc.log()))
        return self

    def _answers(self):
        return os.path.exists(self.socket) and self.ctl("show", "stats", check=False)[0]

    def ctl(self, *command, check=True):
        """lispctl -s SOCKET COMMAND; (ok, text after the status line)."""
        proc = run_cmd([self.tools.lispctl, "-s", self.socket] + list(command), check=False,
                       timeout=10)
        ok = proc.returncode == 0
        if check and not ok:
            raise HarnessError("lispctl %s on %s failed (exit %d): %s"
                               % (" ".join(command), self.node.name, proc.returncode,
                                  (proc.stdout + proc.stderr).strip()))
        return ok, proc.stdout

    def show(self, what):
        """lispctl --json show WHAT, parsed."""
        _, text = self.ctl("--json", "show", what)
        try:
            return json.loads(text)
        except ValueError as e:
            raise HarnessError("lispctl --json show %s on %s: not JSON (%s):\n%s"
                               % (what, self.node.name, e, text)) from e

    def show_text(self, what):
        return self.ctl("show", what)[1]

    def stop(self):
        """SIGTERM (a clean shutdown); its exit status and log."""
        if self.proc is None:
            return None
        status = self.proc.stop(signal.SIGTERM, timeout=10)
        return status


def json_strings(doc):
    """Every string (keys too) in a JSON document, for "does it mention X" checks."""
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield str(key)
            yield from json_strings(value)
    elif isinstance(doc, list):
        for value in doc:
            yield from json_strings(value)
    elif isinstance(doc, str):
        yield doc


def objects_with(doc, value):
    """Every JSON object (at any depth) that has the string value as one of its values."""
    if isinstance(doc, dict):
        if value in doc.values():
            yield doc
        for v in doc.values():
            yield from objects_with(v, value)
    elif isinstance(doc, list):
        for v in doc:
            yield from objects_with(v, value)

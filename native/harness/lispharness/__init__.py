"""lispharness: LISP scenarios in Linux network namespaces (docs/native.md, "Namespace
harness"). Standard library only.

  netns       namespaces, veth links, processes, teardown (also on signals and stale runs)
  capture     tcpdump per link
  traffic     counted ping and UDP flows (udp_flow.py runs inside the namespaces)
  topologies  two-sites and PxTR, with the ns-3 examples' address plan
  lispd       lispd configuration files, the daemon, lispctl
  scenarios   which lispd runs where (shared by the tests and make native-demo)
  wire        tshark over every pcap: per-frame checks and decoded LISP messages
  sequence    control-message sequences for the sim-versus-wire comparison
  testing     the frame of a test script (skip 77, teardown, verdict)
"""

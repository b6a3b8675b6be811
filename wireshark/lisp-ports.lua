-- lisp-ports.lua - decode LISP by port, whichever side of the datagram carries it.
--
-- Wireshark's UDP dissector tries the lower of the two ports first, so LISP is misread
-- whenever the other port is lower: a 4342 -> 4341 reply through a NAT decodes as a LISP
-- data header, and NAT-mapped ports such as 53, 123 or 500 decode as DNS, NTP or ISAKMP.
-- This heuristic dissector claims every UDP datagram with source or destination port
-- 4342 for the LISP control dissector ("lisp") and, failing that, 4341 for the LISP data
-- dissector. Heuristics run before port lookups only with udp.try_heuristic_first:
--
--   wireshark -X lua_script:wireshark/lisp-ports.lua -o udp.try_heuristic_first:TRUE f.pcap
--   tshark    -X lua_script:wireshark/lisp-ports.lua -o udp.try_heuristic_first:TRUE -r f.pcap

local LISP_DATA_PORT = 4341
local LISP_CONTROL_PORT = 4342

-- Missing dissectors (an old Wireshark) leave the datagram to the usual port lookup.
local have_control, control = pcall(Dissector.get, "lisp")
-- The data dissector registers no name ("lisp-data" is only its protocol), hence the port table.
local have_data, data = pcall(function()
    return DissectorTable.get("udp.port"):get_dissector(LISP_DATA_PORT)
end)

local function dissector_for(pinfo)
    local sport, dport = pinfo.src_port, pinfo.dst_port
    if have_control and control and (sport == LISP_CONTROL_PORT or dport == LISP_CONTROL_PORT) then
        return control
    end
    if have_data and data and (sport == LISP_DATA_PORT or dport == LISP_DATA_PORT) then
        return data
    end
    return nil
end

local lisp_ports = Proto("lisp_ports", "LISP by UDP port (either side)")

local function heuristic(tvb, pinfo, tree)
    local dissector = dissector_for(pinfo)
    if dissector == nil then
        return false
    end
    -- A dissector error must not abort the packet: let the usual port lookup have it.
    return (pcall(dissector.call, dissector, tvb, pinfo, tree))
end

lisp_ports:register_heuristic("udp", heuristic)

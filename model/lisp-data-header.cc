/*
 * lisp-data-header.cc - ns3::LispDataHeader (lisp-data-header.h).
 */
#include "lisp-data-header.h"

#include <cstring>
#include <iomanip>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(LispDataHeader);

TypeId LispDataHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::LispDataHeader")
                            .SetParent<Header>()
                            .SetGroupName("Lisp")
                            .AddConstructor<LispDataHeader>();
    return tid;
}

TypeId LispDataHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

LispDataHeader::LispDataHeader() : m_bytes{}
{
}

LispDataHeader::LispDataHeader(const uint8_t *bytes)
{
    std::memcpy(m_bytes.data(), bytes, m_bytes.size());
}

uint32_t LispDataHeader::GetSerializedSize() const
{
    return LISP_DATA_HDR_LEN;
}

void LispDataHeader::Serialize(Buffer::Iterator start) const
{
    start.Write(m_bytes.data(), m_bytes.size());
}

uint32_t LispDataHeader::Deserialize(Buffer::Iterator start)
{
    start.Read(m_bytes.data(), m_bytes.size());
    return LISP_DATA_HDR_LEN;
}

void LispDataHeader::Print(std::ostream &os) const
{
    lisp_data_hdr h;
    if (lisp_data_decode(&h, m_bytes.data(), m_bytes.size()) != LISP_OK) {
        os << "malformed LISP data header";
        return;
    }
    os << "flags 0x" << std::hex << unsigned{h.flags} << std::dec;
    if (h.flags & LISP_DATA_F_N) {
        os << " nonce " << h.nonce;
    }
    if (h.flags & LISP_DATA_F_V) {
        os << " map-versions " << h.src_map_version << "/" << h.dst_map_version;
    }
    if (h.flags & LISP_DATA_F_I) {
        os << " iid " << h.iid;
    }
    if (h.flags & LISP_DATA_F_L) {
        os << " lsb 0x" << std::hex << h.lsb << std::dec;
    }
}

} // namespace ns3

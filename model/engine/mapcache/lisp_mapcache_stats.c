/* lisp_mapcache_stats.c - where a map-cache's memory goes (benchmarks, capacity planning). */
#include <string.h>

#include "lisp_mapcache_internal.h"

void lisp_mapcache_get_stats(const lisp_mapcache *mc, lisp_mapcache_stats *out)
{
    uint32_t i;

    memset(out, 0, sizeof *out);
    if (!mc)
        return;
    out->entries = mc->count;
    out->tables = mc->n_tables;
    out->locator_sets = mc->locsets.n;
    out->bytes_total = mc->mem.bytes;
    for (i = 0; i < mc->slab.n_pages; i++)
        out->bytes_entries += (size_t)lisp_mapcache_slab_page_cap(&mc->slab, i) *
                              (sizeof(lisp_mapcache_entry) + sizeof(uint32_t));
    out->bytes_entries += (size_t)mc->slab.n_pages * sizeof *mc->slab.pages;
    out->bytes_heap = (size_t)mc->heap.cap * sizeof *mc->heap.a;
    out->bytes_locsets = lisp_mapcache_locset_bytes(&mc->locsets, &out->locators);
    for (i = 0; i < mc->n_tables; i++) {
        lisp_lpm_stats s;
        unsigned k = lisp_lpm_direct_bits(mc->tables[i].lpm);
        lisp_lpm_get_stats(mc->tables[i].lpm, &s);
        out->bytes_lpm += s.bytes;
        out->lpm_range_nodes += s.range_nodes;
        out->lpm_dir_nodes += s.dir_nodes;
        out->lpm_ranges += s.ranges;
        out->lpm_lines += s.lines;
        if (k > out->lpm_direct_bits_max)
            out->lpm_direct_bits_max = k;
    }
}

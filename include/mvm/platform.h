/*
 * SimGrid platform files (XML, version 4.1) as a source and a destination for
 * the network view: zones, hosts, routers, links (SHARED, SPLITDUPLEX, FATPIPE),
 * routes and clusters with backbones (REFERENCE section 4). Hosts map to the
 * model's nodes by a `node_id` property, else by name (the node's id, or
 * "node-<id>"). Latencies are read and ignored (our model has none); what our
 * network model cannot express is an error, never approximated. The mapping
 * both ways is in docs/formats.md, "SimGrid platforms".
 */
#ifndef MVM_PLATFORM_H
#define MVM_PLATFORM_H

#include "mvm/error.h"
#include "mvm/model.h"
#include "mvm/net.h"

/*
 * Reads a SimGrid platform and returns the equivalent network for model's nodes
 * (finalized; the caller frees it), or NULL with an error naming the file, the
 * XML line and what was expected.
 */
struct mvm_net *mvm_platform_load(const char *path, const struct mvm_model *model,
                                  struct mvm_error *err);

/*
 * Writes net (whose node indices are model's) as a SimGrid 4.1 platform: one
 * host per node (named "node-<id>", with a node_id property and the given host
 * speed in flop/s), one router per switch, one SPLITDUPLEX link per link, a
 * shared link for each blocking switch's backplane, routed so every host pair
 * takes the path mvm_net_path gives. Atomic; "-" is standard output.
 */
int mvm_platform_save(const struct mvm_net *net, const struct mvm_model *model,
                      double host_speed_flops, const char *path, struct mvm_error *err);

#endif

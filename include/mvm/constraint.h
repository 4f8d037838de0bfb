/*
 * Constraints of an instance (REFERENCE section 6): the part of BtrPlace's catalog
 * this version understands, plus any other constraint kept verbatim.
 *
 * Known constraints are decoded into element indices; the others (kind
 * MVM_CONSTRAINT_OTHER) keep their JSON text so they are written back unchanged
 * and reported as "not supported yet" by commands that would need them.
 */
#ifndef MVM_CONSTRAINT_H
#define MVM_CONSTRAINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mvm/error.h"

enum mvm_constraint_kind {
    MVM_CONSTRAINT_FENCE,        /* vm, nodes: a running vm ends on one of nodes */
    MVM_CONSTRAINT_BAN,          /* vm, nodes: a running vm ends on none of nodes */
    MVM_CONSTRAINT_ROOT,         /* vm: never migrated */
    MVM_CONSTRAINT_ONLINE,       /* node: online at the end */
    MVM_CONSTRAINT_OFFLINE,      /* node: offline at the end */
    MVM_CONSTRAINT_RUNNING,      /* vm: running at the end */
    MVM_CONSTRAINT_READY,        /* vm: ready at the end */
    MVM_CONSTRAINT_SLEEPING,     /* vm: sleeping at the end */
    MVM_CONSTRAINT_KILLED,       /* vm: gone at the end */
    MVM_CONSTRAINT_SYNC,         /* vms: migrations end together (start, for post-copy VMs) */
    MVM_CONSTRAINT_SERIALIZE,    /* vms: never two migrations at once */
    MVM_CONSTRAINT_PRECEDENCE,   /* vms[0], vms[1]: end of the first <= start of the second */
    MVM_CONSTRAINT_DEADLINE,     /* vm, timestamp: migration ends by the deadline */
    MVM_CONSTRAINT_POWER_BUDGET, /* start, end, watts: power at most watts over [start, end) */
    /* placement constraints of BtrPlace's catalog (issue 7), JSON ids in brackets */
    MVM_CONSTRAINT_SPREAD,           /* [spread] vms: on distinct nodes */
    MVM_CONSTRAINT_GATHER,           /* [gather] vms: on one node */
    MVM_CONSTRAINT_AMONG,            /* [among] vms, node_parts: all in one of the parts */
    MVM_CONSTRAINT_SPLIT,            /* [split] vm_parts: no node hosts VMs of two parts */
    MVM_CONSTRAINT_SPLIT_AMONG,      /* [splitAmong] vm_parts, node_parts: each VM part in a
                                        distinct node part */
    MVM_CONSTRAINT_LONELY,           /* [lonely] vms: their nodes host no other VM */
    MVM_CONSTRAINT_QUARANTINE,       /* [quarantine] nodes: no VM arrives or leaves */
    MVM_CONSTRAINT_PRESERVE,         /* [preserve] vm, rc, amount: the VM gets at least amount */
    MVM_CONSTRAINT_OVERBOOK,         /* [overbook] nodes[0], rc, ratio: capacity x ratio usable */
    MVM_CONSTRAINT_RESOURCE_CAPACITY, /* [resourceCapacity] nodes, rc, amount: their total use */
    MVM_CONSTRAINT_RUNNING_CAPACITY,  /* [runningCapacity] nodes, amount: running VMs on them */
    MVM_CONSTRAINT_MAX_ONLINE,        /* [maxOnline] nodes, amount: online among them */
    MVM_CONSTRAINT_NO_DELAY,          /* [noDelay] vm: its action starts at t = 0 */
    MVM_CONSTRAINT_SEQ,               /* [seq] vms: their state changes in this order */
    MVM_CONSTRAINT_OTHER,        /* not supported yet; kept verbatim */
};

/* Tri-state `continuous` flag: absent from the file, false or true. */
enum mvm_continuous {
    MVM_CONTINUOUS_UNSET = -1,
    MVM_CONTINUOUS_FALSE = 0,
    MVM_CONTINUOUS_TRUE = 1
};

/* Groups of element indices (among's node parts, split's VM parts). */
struct mvm_id_groups {
    size_t **groups; /* groups[k] holds sizes[k] indices */
    size_t *sizes;
    size_t count;
};

/* Frees the groups and empties g. */
void mvm_id_groups_clear(struct mvm_id_groups *g);

struct mvm_constraint {
    enum mvm_constraint_kind kind;
    char *name; /* the JSON id, e.g. "fence" */
    enum mvm_continuous continuous;
    size_t *vms; /* VM indices (vm, vms, or vm1 and vm2) */
    size_t vm_count;
    size_t *nodes; /* node indices (node or nodes) */
    size_t node_count;
    char *timestamp;      /* DEADLINE: "+HH:MM:SS", "HH:MM:SS" or an ISO 8601 date-time */
    int64_t window_start; /* POWER_BUDGET: seconds from the start of the reconfiguration */
    int64_t window_end;   /* POWER_BUDGET: end of the window, -1 for no end */
    double watts;         /* POWER_BUDGET: the most the datacenter may draw */
    struct mvm_id_groups vm_parts;   /* SPLIT, SPLIT_AMONG: groups of VM indices */
    struct mvm_id_groups node_parts; /* AMONG, SPLIT_AMONG: groups of node indices */
    char *rc;             /* PRESERVE, OVERBOOK, RESOURCE_CAPACITY: resource id */
    int64_t amount;       /* PRESERVE, RESOURCE_CAPACITY, RUNNING_CAPACITY, MAX_ONLINE */
    double ratio;         /* OVERBOOK */
    char *json;           /* OTHER: the constraint's JSON text */
};

/* Kind of a JSON constraint id ("fence", "Sync", ...); MVM_CONSTRAINT_OTHER if unknown. */
enum mvm_constraint_kind mvm_constraint_kind_from_name(const char *name);

/* The JSON id of a known kind. */
const char *mvm_constraint_kind_name(enum mvm_constraint_kind kind);

/* Frees what c owns and zeroes it. */
void mvm_constraint_clear(struct mvm_constraint *c);

/* Deep copy of src into dst. */
int mvm_constraint_copy(struct mvm_constraint *dst, const struct mvm_constraint *src,
                        struct mvm_error *err);

/*
 * A Deadline timestamp resolved to seconds after the start of the
 * reconfiguration. start_epoch is the reconfiguration's start as Unix time; it
 * resolves the wall-clock forms ("HH:MM:SS" means the next such local time, an
 * ISO 8601 date-time is absolute). Fails (MVM_ERR_INVALID) on a malformed stamp.
 */
int mvm_deadline_resolve(const char *timestamp, int64_t start_epoch, int64_t *seconds,
                         struct mvm_error *err);

#endif

/*
 * The datacenter model: nodes, VMs, where each VM is, shareable resources, the
 * network, and any other view, as BtrPlace defines them (REFERENCE section 2, 8).
 *
 * Elements are stored densely and referred to by index (size_t); their BtrPlace
 * ids (int32_t) are kept and looked up through mvm_model_node_index() and
 * mvm_model_vm_index(). Views this library does not understand are kept as
 * verbatim JSON so they survive a read/write round trip.
 */
#ifndef MVM_MODEL_H
#define MVM_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mvm/attr.h"
#include "mvm/error.h"

/* "No element": an absent node or VM index. */
#define MVM_NONE SIZE_MAX

struct mvm_net;
struct mvm_idmap;

enum mvm_node_state { MVM_NODE_ONLINE, MVM_NODE_OFFLINE };
enum mvm_vm_state { MVM_VM_RUNNING, MVM_VM_SLEEPING, MVM_VM_READY };

struct mvm_node {
    int32_t id;
    enum mvm_node_state state;
    struct mvm_attrs attrs;
};

struct mvm_vm {
    int32_t id;
    enum mvm_vm_state state;
    size_t host; /* node index for running and sleeping VMs, MVM_NONE for ready ones */
    struct mvm_attrs attrs;
};

/*
 * A shareableResource view: a capacity per node and a consumption per VM for one
 * resource (`rcId`), with defaults for elements not listed. `node_given` and
 * `vm_given` record which values the file listed so they are written back as read.
 */
struct mvm_resource {
    char *rc_id;
    int64_t def_capacity;
    int64_t def_consumption;
    int64_t *node_capacity;  /* [node_count], effective values */
    bool *node_given;        /* [node_count] */
    int64_t *vm_consumption; /* [vm_count], effective values */
    bool *vm_given;          /* [vm_count] */
};

enum mvm_view_kind {
    MVM_VIEW_RESOURCE, /* a shareableResource, in resources[index] */
    MVM_VIEW_NET,      /* the network view, in net */
    MVM_VIEW_OTHER,    /* anything else, kept as verbatim JSON */
};

/* One entry of the model's `views` list, in file order. */
struct mvm_view {
    enum mvm_view_kind kind;
    size_t index; /* MVM_VIEW_RESOURCE: index into resources */
    char *json;   /* MVM_VIEW_OTHER: the view's JSON text */
};

struct mvm_model {
    struct mvm_node *nodes;
    size_t node_count;
    struct mvm_vm *vms;
    size_t vm_count;
    struct mvm_resource *resources;
    size_t resource_count;
    struct mvm_view *views;
    size_t view_count;
    struct mvm_net *net; /* NULL when the model has no network view */

    /* private */
    size_t node_capacity_, vm_capacity_, resource_capacity_, view_capacity_;
    struct mvm_idmap *node_ids_, *vm_ids_;
};

/* A new empty model, or NULL (err set). Free with mvm_model_free. */
struct mvm_model *mvm_model_new(struct mvm_error *err);

/* Frees the model and everything it owns. Accepts NULL. */
void mvm_model_free(struct mvm_model *model);

/* Deep copy, or NULL (err set). */
struct mvm_model *mvm_model_copy(const struct mvm_model *model, struct mvm_error *err);

/*
 * Adds a node and returns its index, or MVM_NONE (err set: duplicate id, memory).
 * Nodes must all be added before resources are added.
 */
size_t mvm_model_add_node(struct mvm_model *model, int32_t id, enum mvm_node_state state,
                          struct mvm_error *err);

/*
 * Adds a VM and returns its index, or MVM_NONE. host is a node index for running
 * and sleeping VMs (the node must be online) and MVM_NONE for ready VMs.
 */
size_t mvm_model_add_vm(struct mvm_model *model, int32_t id, enum mvm_vm_state state, size_t host,
                        struct mvm_error *err);

/* Index of the node (VM) with this id, or MVM_NONE. */
size_t mvm_model_node_index(const struct mvm_model *model, int32_t id);
size_t mvm_model_vm_index(const struct mvm_model *model, int32_t id);

/*
 * Adds a shareableResource view (appended to views) and returns its index in
 * resources, or MVM_NONE. Capacities and consumptions start at the defaults.
 */
size_t mvm_model_add_resource(struct mvm_model *model, const char *rc_id, int64_t def_capacity,
                              int64_t def_consumption, struct mvm_error *err);

/* The resource named rc_id, or NULL. */
const struct mvm_resource *mvm_model_resource(const struct mvm_model *model, const char *rc_id);

/* Appends a view kept as verbatim JSON text (copied). */
int mvm_model_add_other_view(struct mvm_model *model, const char *json, struct mvm_error *err);

/* Sets the model's network (taking ownership) and appends the net view. */
int mvm_model_set_net(struct mvm_model *model, struct mvm_net *net, struct mvm_error *err);

/*
 * Replaces the model's network (taking ownership of net, freed on failure too)
 * by one over the same nodes in the same order, such as one read from a SimGrid
 * platform; the views list keeps (or gains) its one network entry.
 */
int mvm_model_replace_net(struct mvm_model *model, struct mvm_net *net, struct mvm_error *err);

/* Number of VMs in each state, and of online nodes. */
size_t mvm_model_count_vms(const struct mvm_model *model, enum mvm_vm_state state);
size_t mvm_model_count_nodes(const struct mvm_model *model, enum mvm_node_state state);

/*
 * True when both models place the same VMs on the same nodes, in the same states,
 * with the same node states. Attributes and views are not compared.
 */
bool mvm_model_same_mapping(const struct mvm_model *a, const struct mvm_model *b);

#endif

/* VmdDetailsEdit: one change of the details model as its worker thread sees it: its own libvirt
 * handle and copy of the change, the sentence to tell the user when part of it waits for the
 * next boot, and the config read back afterwards. Each area of the details (overview, memory,
 * vCPUs, boot, disks, network, snapshots, XML) writes its change as a typed struct and a
 * VmdDetailsApply for it; the helpers here are what they share. */
#pragma once

#include <gio/gio.h>
#include <libvirt/libvirt.h>

#include "vmd-machine-config.h"

G_BEGIN_DECLS

typedef struct _VmdDetailsEdit VmdDetailsEdit;

/* Runs in the worker; change is the typed change the area gave with it. */
typedef gboolean (*VmdDetailsApply) (VmdDetailsEdit  *edit,
                                     gpointer         change,
                                     GError         **error);

struct _VmdDetailsEdit
{
  virDomainPtr      handle;
  char             *machine_name;
  guint             generation;    /* of the model's config when the edit began */
  VmdDetailsApply   apply;         /* NULL: only read the definition */
  gpointer          change;
  GDestroyNotify    change_free;
  char             *note;          /* result: what applies only at the next boot */
  VmdMachineConfig *config;        /* result: read back after the change (or the conflict) */
};

VmdDetailsEdit   *vmd_details_edit_new            (virDomainPtr      handle,
                                                   const char       *machine_name,
                                                   guint             generation,
                                                   VmdDetailsApply   apply,
                                                   gpointer          change,
                                                   GDestroyNotify    change_free);
void              vmd_details_edit_free           (VmdDetailsEdit   *edit);
void              vmd_details_edit_run_in_thread  (GTask            *task,
                                                   gpointer          source,
                                                   gpointer          task_data,
                                                   GCancellable     *cancellable);

char             *vmd_details_dup_libvirt_string  (char             *s);
gboolean          vmd_details_edit_is_active      (VmdDetailsEdit   *edit);
char             *vmd_details_edit_get_xml        (VmdDetailsEdit   *edit,
                                                   gboolean          live,
                                                   GError          **error);
VmdMachineConfig *vmd_details_edit_load_config    (VmdDetailsEdit   *edit,
                                                   GError          **error);
gboolean          vmd_details_edit_fail           (VmdDetailsEdit   *edit,
                                                   const char       *format,
                                                   GError          **error);
gboolean          vmd_details_edit_redefine       (VmdDetailsEdit   *edit,
                                                   const char       *xml,
                                                   GError          **error);
void              vmd_details_edit_add_note       (VmdDetailsEdit   *edit,
                                                   const char       *sentence);
void              vmd_details_edit_note_live_failure (VmdDetailsEdit *edit,
                                                      const char     *what);

/* A form's change, onto the definition libvirt holds now: rewrite merges the form's fields with
 * current's and returns the new document; once it is defined, live (may be NULL) applies what
 * the running machine can take. Both run while current lives. */
typedef char    *(*VmdDetailsRewrite) (const VmdMachineConfig  *current,
                                       const char              *xml,
                                       gpointer                 change,
                                       GError                 **error);
typedef void     (*VmdDetailsLive)    (VmdDetailsEdit          *edit,
                                       gpointer                 change);
gboolean          vmd_details_edit_rewrite        (VmdDetailsEdit   *edit,
                                                   VmdDetailsRewrite rewrite,
                                                   VmdDetailsLive    live,
                                                   gpointer          change,
                                                   GError          **error);

/* One device: through libvirt's device calls when running (live and persistent at once), by
 * editing the persistent XML when off. */
typedef enum { VMD_DEVICE_ATTACH, VMD_DEVICE_DETACH, VMD_DEVICE_UPDATE } VmdDeviceOp;

gboolean          vmd_details_edit_change_device  (VmdDetailsEdit   *edit,
                                                   VmdDeviceOp       op,
                                                   const char       *xpath,
                                                   const char       *device_xml,
                                                   GError          **error);
char             *vmd_details_edit_get_device     (VmdDetailsEdit   *edit,
                                                   const char       *xpath,
                                                   GError          **error);
/* The device xpath finds, detached; or changed in place: rewrite gets its XML as it is now and
 * returns the new one (or NULL with an error). */
typedef char    *(*VmdDeviceRewrite)  (const char              *device_xml,
                                       gpointer                 data,
                                       GError                 **error);
gboolean          vmd_details_edit_detach_device  (VmdDetailsEdit   *edit,
                                                   const char       *xpath,
                                                   GError          **error);
gboolean          vmd_details_edit_update_device  (VmdDetailsEdit   *edit,
                                                   const char       *xpath,
                                                   VmdDeviceRewrite  rewrite,
                                                   gpointer          data,
                                                   GError          **error);

G_END_DECLS

/* VmdDefinitionWatch: libvirt-gobject passes DEFINED on only as "updated", and drops RENAMED
 * and FROM_SNAPSHOT (it warns and emits nothing); device and metadata events it does not know
 * at all. Our own callbacks see them all. Another client's `virsh define` is DEFINED/UPDATED;
 * `virsh desc` (virDomainSetMetadata) sends only METADATA_CHANGE. */
#include "config.h"

#include <libvirt/virterror.h>

#include "vmd-definition-watch.h"

struct _VmdDefinitionWatch
{
  virConnectPtr                handle;
  VmdDefinitionWatchCallbacks  callbacks;
  gpointer                     user_data;
  int                          ids[4];
};

static void
tell (VmdDefinitionWatch *self,
      virDomainPtr        domain,
      const char         *new_name)
{
  char uuid[VIR_UUID_STRING_BUFLEN];

  if (virDomainGetUUIDString (domain, uuid) == 0)
    self->callbacks.changed (uuid, new_name, self->user_data);
}

static void
on_lifecycle_event (virConnectPtr  conn,
                    virDomainPtr   domain,
                    int            event,
                    int            detail,
                    void          *opaque)
{
  VmdDefinitionWatch *self = opaque;
  char uuid[VIR_UUID_STRING_BUFLEN];

  if (event == VIR_DOMAIN_EVENT_STOPPED && detail == VIR_DOMAIN_EVENT_STOPPED_MIGRATED &&
      self->callbacks.migrated_away != NULL && virDomainGetUUIDString (domain, uuid) == 0)
    self->callbacks.migrated_away (uuid, self->user_data);
  if (event != VIR_DOMAIN_EVENT_DEFINED)
    return;
  /* A domain handle keeps the name it was looked up by: the new one comes from the event. */
  if (detail == VIR_DOMAIN_EVENT_DEFINED_RENAMED)
    tell (opaque, domain, virDomainGetName (domain));
  else if (detail == VIR_DOMAIN_EVENT_DEFINED_UPDATED ||
           detail == VIR_DOMAIN_EVENT_DEFINED_FROM_SNAPSHOT)
    tell (opaque, domain, NULL);
}

/* A device hot-plugged or unplugged changes the live definition of a running machine. */
static void
on_device_event (virConnectPtr  conn,
                 virDomainPtr   domain,
                 const char    *alias,
                 void          *opaque)
{
  tell (opaque, domain, NULL);
}

static void
on_metadata_event (virConnectPtr  conn,
                   virDomainPtr   domain,
                   int            type,
                   const char    *nsuri,
                   void          *opaque)
{
  tell (opaque, domain, NULL);
}

/* Takes a reference to handle. */
VmdDefinitionWatch *
vmd_definition_watch_new (virConnectPtr                      handle,
                          const VmdDefinitionWatchCallbacks *callbacks,
                          gpointer                           user_data)
{
  const struct { int id; virConnectDomainEventGenericCallback callback; } events[] = {
    { VIR_DOMAIN_EVENT_ID_LIFECYCLE,       VIR_DOMAIN_EVENT_CALLBACK (on_lifecycle_event) },
    { VIR_DOMAIN_EVENT_ID_DEVICE_ADDED,    VIR_DOMAIN_EVENT_CALLBACK (on_device_event) },
    { VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED,  VIR_DOMAIN_EVENT_CALLBACK (on_device_event) },
    { VIR_DOMAIN_EVENT_ID_METADATA_CHANGE, VIR_DOMAIN_EVENT_CALLBACK (on_metadata_event) },
  };
  VmdDefinitionWatch *self = g_new0 (VmdDefinitionWatch, 1);

  G_STATIC_ASSERT (G_N_ELEMENTS (events) == G_N_ELEMENTS (self->ids));
  virConnectRef (handle);
  self->handle = handle;
  self->callbacks = *callbacks;
  self->user_data = user_data;
  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    {
      self->ids[i] = virConnectDomainEventRegisterAny (handle, NULL, events[i].id,
                                                       events[i].callback, self, NULL);
      /* A driver without that event: the others still work. */
      if (self->ids[i] < 0)
        virResetLastError ();
    }
  return self;
}

void
vmd_definition_watch_free (VmdDefinitionWatch *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (self->ids); i++)
    if (self->ids[i] >= 0)
      virConnectDomainEventDeregisterAny (self->handle, self->ids[i]);
  virConnectClose (self->handle);
  g_free (self);
}

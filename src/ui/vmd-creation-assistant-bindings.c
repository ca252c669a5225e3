/* VmdCreationAssistant, its widgets bound to the spec: every control shows a property of the
 * VmdMachineSpec and writes it through a GBinding, so neither keeps a copy of the other's
 * value and nothing needs telling the assistant's own writes from the user's. A radio button
 * stands for one value of an enum property; a combo box's ids are the enum's nicks; an entry
 * shows no value as empty. The spec's notify then says which field the user has been in. */
#include "config.h"

#include "vmd-creation-assistant-private.h"

/* --- transforms ------------------------------------------------------------------------------ */

static gboolean
enum_is_value (GBinding     *binding,
               const GValue *from,
               GValue       *to,
               gpointer      user_data)
{
  g_value_set_boolean (to, g_value_get_enum (from) == GPOINTER_TO_INT (user_data));
  return TRUE;
}

/* Of a radio group, the button turned on says which value; the one turned off says nothing. */
static gboolean
active_to_value (GBinding     *binding,
                 const GValue *from,
                 GValue       *to,
                 gpointer      user_data)
{
  if (!g_value_get_boolean (from))
    return FALSE;
  g_value_set_enum (to, GPOINTER_TO_INT (user_data));
  return TRUE;
}

/* The enum class lives as long as the spec's property that holds it: peeking is enough. */
static gboolean
enum_to_nick (GBinding     *binding,
              const GValue *from,
              GValue       *to,
              gpointer      user_data)
{
  GEnumValue *value = g_enum_get_value (g_type_class_peek (G_VALUE_TYPE (from)),
                                        g_value_get_enum (from));

  if (value == NULL)
    return FALSE;
  g_value_set_string (to, value->value_nick);
  return TRUE;
}

static gboolean
nick_to_enum (GBinding     *binding,
              const GValue *from,
              GValue       *to,
              gpointer      user_data)
{
  const char *nick = g_value_get_string (from);
  GEnumValue *value = nick != NULL ? g_enum_get_value_by_nick (g_type_class_peek (G_VALUE_TYPE (to)), nick)
                                   : NULL;

  if (value == NULL)
    return FALSE;
  g_value_set_enum (to, value->value);
  return TRUE;
}

static gboolean
kvm_to_id (GBinding     *binding,
           const GValue *from,
           GValue       *to,
           gpointer      user_data)
{
  g_value_set_string (to, g_value_get_boolean (from) ? "kvm" : "tcg");
  return TRUE;
}

static gboolean
id_to_kvm (GBinding     *binding,
           const GValue *from,
           GValue       *to,
           gpointer      user_data)
{
  const char *id = g_value_get_string (from);

  if (id == NULL)
    return FALSE;
  g_value_set_boolean (to, g_str_equal (id, "kvm"));
  return TRUE;
}

/* The spec keeps "" as NULL; an entry's text cannot be NULL. */
static gboolean
null_to_empty (GBinding     *binding,
               const GValue *from,
               GValue       *to,
               gpointer      user_data)
{
  const char *text = g_value_get_string (from);

  g_value_set_string (to, text != NULL ? text : "");
  return TRUE;
}

/* --- bindings -------------------------------------------------------------------------------- */

/* RADIO is on exactly while PROPERTY is VALUE, and turning it on makes it so. */
static void
bind_radio (VmdMachineSpec *spec,
            const char     *property,
            GtkWidget      *radio,
            int             value)
{
  g_object_bind_property_full (spec, property, radio, "active",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               enum_is_value, active_to_value, GINT_TO_POINTER (value), NULL);
}

/* WIDGET can be used only while PROPERTY is VALUE. */
static void
bind_sensitive (VmdMachineSpec *spec,
                const char     *property,
                GtkWidget      *widget,
                int             value)
{
  g_object_bind_property_full (spec, property, widget, "sensitive", G_BINDING_SYNC_CREATE,
                               enum_is_value, NULL, GINT_TO_POINTER (value), NULL);
}

static void
bind_entry (VmdMachineSpec *spec,
            const char     *property,
            GtkWidget      *entry)
{
  g_object_bind_property_full (spec, property, entry, "text",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               null_to_empty, NULL, NULL, NULL);
}

static void
bind_combo (VmdMachineSpec *spec,
            const char     *property,
            GtkWidget      *combo)
{
  g_object_bind_property_full (spec, property, combo, "active-id",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               enum_to_nick, nick_to_enum, NULL, NULL);
}

/* The spin buttons' adjustments hold the numbers; the template's bounds are the widgets'. */
static void
bind_spin (VmdMachineSpec *spec,
           const char     *property,
           GtkWidget      *spin)
{
  g_object_bind_property (spec, property, gtk_spin_button_get_adjustment (GTK_SPIN_BUTTON (spin)),
                          "value", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
}

/* The path entry is shared: Import's disk image, else the ISO or install tree. Bound from the
 * entry, so what is typed there stays when the method changes and becomes the new field's. */
void
vmd_creation_assistant_bind_media_entry (VmdCreationAssistant *self)
{
  const char *property = vmd_creation_assistant_media_is_disk (self) ? "existing-path" : "media-path";

  g_clear_pointer (&self->media_binding, g_binding_unbind);
  self->media_binding = g_object_bind_property_full (self->media_entry, "text", self->spec, property,
                                                     G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                                     NULL, null_to_empty, NULL, NULL);
}

static void
bind_method_page (VmdCreationAssistant *self)
{
  bind_radio (self->spec, "install-method", self->method_cdrom, VMD_INSTALL_METHOD_CDROM);
  bind_radio (self->spec, "install-method", self->method_kernel, VMD_INSTALL_METHOD_KERNEL_BOOT);
  bind_radio (self->spec, "install-method", self->method_import, VMD_INSTALL_METHOD_IMPORT);
  bind_radio (self->spec, "install-method", self->method_manual, VMD_INSTALL_METHOD_MANUAL);
  vmd_creation_assistant_bind_media_entry (self);
  bind_entry (self->spec, "kernel-args", self->kernel_args_entry);
}

static void
bind_storage_and_network (VmdCreationAssistant *self)
{
  bind_radio (self->spec, "storage-kind", self->storage_new, VMD_STORAGE_NEW_VOLUME);
  bind_radio (self->spec, "storage-kind", self->storage_existing, VMD_STORAGE_EXISTING);
  bind_radio (self->spec, "storage-kind", self->storage_none, VMD_STORAGE_NONE);
  bind_sensitive (self->spec, "storage-kind", self->disk_size_spin, VMD_STORAGE_NEW_VOLUME);
  bind_sensitive (self->spec, "storage-kind", self->existing_entry, VMD_STORAGE_EXISTING);
  bind_entry (self->spec, "existing-path", self->existing_entry);
  bind_radio (self->spec, "network-kind", self->net_nat, VMD_NETWORK_NAT);
  bind_radio (self->spec, "network-kind", self->net_bridge, VMD_NETWORK_BRIDGE);
  bind_radio (self->spec, "network-kind", self->net_user, VMD_NETWORK_USER);
  bind_radio (self->spec, "network-kind", self->net_none, VMD_NETWORK_NONE);
  bind_sensitive (self->spec, "network-kind", self->bridge_combo, VMD_NETWORK_BRIDGE);
  bind_entry (self->spec, "bridge", gtk_bin_get_child (GTK_BIN (self->bridge_combo)));
}

/* Every widget that shows a choice, bound to it. */
void
vmd_creation_assistant_bind (VmdCreationAssistant *self)
{
  bind_method_page (self);
  g_object_bind_property (self->spec, "os-name", self->os_chosen_label, "label", G_BINDING_SYNC_CREATE);
  bind_spin (self->spec, "memory-mib", self->memory_spin);
  bind_spin (self->spec, "vcpus", self->cpus_spin);
  bind_spin (self->spec, "disk-size-gib", self->disk_size_spin);
  bind_storage_and_network (self);
  bind_entry (self->spec, "name", self->name_entry);
  bind_combo (self->spec, "graphics", self->graphics_combo);
  bind_combo (self->spec, "firmware", self->firmware_combo);
  g_object_bind_property_full (self->spec, "kvm", self->acceleration_combo, "active-id",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               kvm_to_id, id_to_kvm, NULL, NULL);
  g_object_bind_property (self->spec, "customize", self->customize_check, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
}

/* --- what the spec's notify says about the user ------------------------------------------------ */

/* Only the user names the machine otherwise than suggested (clearing it too). */
static void
on_name_notify (VmdCreationAssistant *self)
{
  if (!vmd_machine_spec_name_is_suggested (self->spec))
    vmd_creation_assistant_touch (self, VMD_SPEC_FIELD_NAME);
}

/* An image path is typed (on the storage page, or as Import's disk). */
static void
on_existing_notify (VmdCreationAssistant *self)
{
  if (vmd_machine_spec_get_existing_path (self->spec) != NULL)
    vmd_creation_assistant_touch (self, VMD_SPEC_FIELD_STORAGE);
}

static void
on_kernel_args_notify (VmdCreationAssistant *self)
{
  self->edited = TRUE;
}

/* The assistant's reactions to what the user changed: the binding has written the spec. */
void
vmd_creation_assistant_follow_spec (VmdCreationAssistant *self)
{
  g_signal_connect_swapped (self->spec, "notify::name", G_CALLBACK (on_name_notify), self);
  g_signal_connect_swapped (self->spec, "notify::existing-path", G_CALLBACK (on_existing_notify), self);
  g_signal_connect_swapped (self->spec, "notify::storage-kind", G_CALLBACK (on_existing_notify), self);
  g_signal_connect_swapped (self->spec, "notify::kernel-args", G_CALLBACK (on_kernel_args_notify), self);
  g_signal_connect_swapped (self->spec, "notify::install-method",
                            G_CALLBACK (vmd_creation_assistant_on_method_changed), self);
  g_signal_connect_swapped (self->spec, "notify::media-path",
                            G_CALLBACK (vmd_creation_assistant_on_media_path_changed), self);
}

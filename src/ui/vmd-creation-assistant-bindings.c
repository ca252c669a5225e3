/* VmdCreationAssistant, its widgets bound to the spec: every control shows a property of the
 * VmdMachineSpec and writes it through a GBinding, so neither keeps a copy of the other's
 * value and nothing needs telling the assistant's own writes from the user's. A radio button
 * stands for one value of an enum property; a combo box's ids are the enum's nicks (the
 * template's ids are those); an entry shows no value as empty. The spec's notify then says which field the user has been in. */
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

/* Both ways between a combo box's id and the property's value: an enum's nick, or for a
 * boolean the id of USER_DATA's { off, on } pair. No item chosen says nothing. The enum class
 * lives as long as the spec's property that holds it: peeking is enough. */
static gboolean
id_and_value (GBinding     *binding,
              const GValue *from,
              GValue       *to,
              gpointer      user_data)
{
  const char * const *ids = user_data;
  const char *id = G_VALUE_HOLDS_STRING (from) ? g_value_get_string (from) : NULL;
  GEnumValue *value = NULL;

  if (G_VALUE_HOLDS_STRING (from) && id == NULL)
    return FALSE;
  if (G_VALUE_HOLDS_BOOLEAN (from))
    g_value_set_string (to, ids[g_value_get_boolean (from) ? 1 : 0]);
  else if (G_VALUE_HOLDS_BOOLEAN (to))
    g_value_set_boolean (to, g_str_equal (id, ids[1]));
  else if (G_VALUE_HOLDS_ENUM (from) &&
           (value = g_enum_get_value (g_type_class_peek (G_VALUE_TYPE (from)), g_value_get_enum (from))))
    g_value_set_string (to, value->value_nick);
  else if (G_VALUE_HOLDS_ENUM (to) &&
           (value = g_enum_get_value_by_nick (g_type_class_peek (G_VALUE_TYPE (to)), id)))
    g_value_set_enum (to, value->value);
  else
    return FALSE;
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

#define BOTH (G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE)
#define WIDGET(name) G_STRUCT_OFFSET (VmdCreationAssistant, name)

/* A property of the spec and the widget property that shows it. */
typedef struct {
  const char            *property;
  glong                  widget;      /* the widget's place in VmdCreationAssistant */
  const char            *shown_as;
  GBindingFlags          flags;
  GBindingTransformFunc  to_widget;   /* NULL: GLib's own conversion */
  GBindingTransformFunc  to_spec;
  gconstpointer          data;        /* for the transforms: the enum value a radio button stands
                                       * for, a boolean's { off, on } ids */
} Binding;

/* A radio button on while the property is VALUE; a widget usable only then; an entry; a combo
 * box whose ids are the enum's nicks (or a boolean's IDS); a widget property of a type GLib
 * converts by itself. */
#define RADIO(property, widget, value) \
  { property, WIDGET (widget), "active", BOTH, enum_is_value, active_to_value, GINT_TO_POINTER (value) }
#define USABLE_WHILE(property, widget, value) \
  { property, WIDGET (widget), "sensitive", G_BINDING_SYNC_CREATE, enum_is_value, NULL, \
    GINT_TO_POINTER (value) }
#define TEXT(property, widget) { property, WIDGET (widget), "text", BOTH, null_to_empty, NULL, NULL }
#define CHOICE(property, widget, ids) \
  { property, WIDGET (widget), "active-id", BOTH, id_and_value, id_and_value, ids }
#define SAME(property, widget, shown_as) { property, WIDGET (widget), shown_as, BOTH, NULL, NULL, NULL }

/* The acceleration combo box's ids for no KVM and KVM. */
static const char * const acceleration_ids[] = { "tcg", "kvm" };

static const Binding bindings[] = {
  RADIO ("install-method", method_cdrom, VMD_INSTALL_METHOD_CDROM),
  RADIO ("install-method", method_kernel, VMD_INSTALL_METHOD_KERNEL_BOOT),
  RADIO ("install-method", method_import, VMD_INSTALL_METHOD_IMPORT),
  RADIO ("install-method", method_manual, VMD_INSTALL_METHOD_MANUAL),
  TEXT ("kernel-args", kernel_args_entry),
  { "os-name", WIDGET (os_chosen_label), "label", G_BINDING_SYNC_CREATE, NULL, NULL, NULL },
  /* The spin buttons' bounds are the template's; the spec's checks say what is too much. */
  SAME ("memory-mib", memory_spin, "value"),
  SAME ("vcpus", cpus_spin, "value"),
  SAME ("disk-size-gib", disk_size_spin, "value"),
  RADIO ("storage-kind", storage_new, VMD_STORAGE_NEW_VOLUME),
  RADIO ("storage-kind", storage_existing, VMD_STORAGE_EXISTING),
  RADIO ("storage-kind", storage_none, VMD_STORAGE_NONE),
  USABLE_WHILE ("storage-kind", disk_size_spin, VMD_STORAGE_NEW_VOLUME),
  USABLE_WHILE ("storage-kind", existing_entry, VMD_STORAGE_EXISTING),
  TEXT ("existing-path", existing_entry),
  RADIO ("network-kind", net_nat, VMD_NETWORK_NAT),
  RADIO ("network-kind", net_bridge, VMD_NETWORK_BRIDGE),
  RADIO ("network-kind", net_user, VMD_NETWORK_USER),
  RADIO ("network-kind", net_none, VMD_NETWORK_NONE),
  USABLE_WHILE ("network-kind", bridge_combo, VMD_NETWORK_BRIDGE),
  TEXT ("name", name_entry),
  CHOICE ("graphics", graphics_combo, NULL),
  CHOICE ("firmware", firmware_combo, NULL),
  SAME ("secure-boot", secure_boot_check, "active"),
  SAME ("tpm", tpm_check, "active"),
  CHOICE ("kvm", acceleration_combo, acceleration_ids),
  SAME ("customize", customize_check, "active"),
};

/* Every widget that shows a choice, bound to it. */
void
vmd_creation_assistant_bind (VmdCreationAssistant *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (bindings); i++)
    {
      const Binding *b = &bindings[i];

      g_object_bind_property_full (self->spec, b->property, G_STRUCT_MEMBER (GtkWidget *, self, b->widget),
                                   b->shown_as, b->flags, b->to_widget, b->to_spec,
                                   (gpointer) b->data, NULL);
    }
  g_object_bind_property_full (self->spec, "bridge", gtk_bin_get_child (GTK_BIN (self->bridge_combo)),
                               "text", BOTH, null_to_empty, NULL, NULL, NULL);
  vmd_creation_assistant_bind_media_entry (self);
}

/* The path entry is shared: Import's disk image, else the ISO or install tree. Bound from the
 * entry, so what is typed there stays when the method changes and becomes the new field's. */
void
vmd_creation_assistant_bind_media_entry (VmdCreationAssistant *self)
{
  const char *property = vmd_creation_assistant_media_is_disk (self) ? "existing-path" : "media-path";

  g_clear_pointer (&self->media_binding, g_binding_unbind);
  self->media_binding = g_object_bind_property_full (self->media_entry, "text", self->spec, property,
                                                     BOTH, NULL, null_to_empty, NULL, NULL);
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

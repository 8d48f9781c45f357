/** A template of templates/ with its form filled in (the scaffolder's formData). */
export function templateLink(template: string, formData: object) {
  return `/create/templates/default/${template}?formData=${encodeURIComponent(
    JSON.stringify(formData),
  )}`;
}

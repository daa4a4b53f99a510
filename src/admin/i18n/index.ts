import en from "./json/en.json"
import ru from "./json/ru.json"

/**
 * Medusa admin (2.11.1+) merges these into the dashboard's i18next resources, so the widget
 * follows the language the admin user picked (Settings → Profile → Language). Every key is
 * under `paysys.` in the default `translation` namespace. Languages without a file here fall
 * back to English (the dashboard's fallbackLng).
 */
export default {
  en: { translation: en },
  ru: { translation: ru },
}

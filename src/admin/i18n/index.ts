import en from "./json/en.json"
import ru from "./json/ru.json"
import uz from "./json/uz.json"

/**
 * Medusa admin (2.11.1+) merges these into the dashboard's i18next resources, so the widget
 * follows the language the admin user picked (Settings → Profile → Language). Every key is
 * under `paysys.` in the default `translation` namespace. Languages without a file here fall
 * back to English (the dashboard's fallbackLng). The dashboard (2.21) has no Uzbek of its own,
 * so its picker does not offer it: "uz" in the `lng` cookie or localStorage, where the picker
 * keeps its choice, turns the panel Uzbek and leaves the rest of the dashboard in English.
 */
export default {
  en: { translation: en },
  ru: { translation: ru },
  uz: { translation: uz },
}

import type { CardProblemCode } from "../../../src/paysys/card-rules"

/** The kit's strings, for the React components and for storefronts that draw their own form. */
export type PaysysLanguage = "en" | "ru" | "uz"

export type PaysysMessages = {
  holderName: string
  cardNumber: string
  expiry: string
  cvc: string
  pay: string
  paying: string
  problems: Record<CardProblemCode, string>
  /** the UzCard/HUMO hint when the store offers PaySys's payment form */
  uzcardHumoUseForm: string
  unavailable: string
  /** the route's refusals (PaysysCheckoutError kinds card_declined, too_many_attempts, captcha_required) */
  cardDeclined: string
  tooManyAttempts: string
  captchaRequired: string
  confirming: string
  declined: string
  pending: string
  checkAgain: string
  /** the return page: no cart to complete (none in this tab, or gone), a cart never paid, the check itself failed */
  noCart: string
  notStarted: string
  notPaid: string
  checkFailed: string
  tryAgain: string
  savedCards: string
  noSavedCards: string
  payWithSavedCard: string
  removeCard: string
  expires: string
}

const en: PaysysMessages = {
  holderName: "Name on card",
  cardNumber: "Card number",
  expiry: "Expiry (MM/YY)",
  cvc: "CVC",
  pay: "Pay",
  paying: "Paying…",
  problems: {
    holder_name_invalid: "Name on card: 1-26 Latin letters, digits, spaces or - / _ .",
    number_length: "Card number: 12-19 digits",
    number_luhn: "This is not a valid card number",
    number_uzcard_humo: "UzCard and HUMO cards are not taken here: pay with a Visa, MasterCard or MIR card",
    number_brand: "Pay with a Visa, MasterCard or MIR card",
    expiry_format: "Expiry: MM/YY, as printed on the card",
    expiry_past: "This card has expired",
    cvc_invalid: "CVC: the 3 digits on the back of the card",
  },
  uzcardHumoUseForm: "UzCard and HUMO cards are paid on PaySys's payment form: choose it among the payment methods",
  unavailable: "PaySys cannot be reached. Please try again in a moment.",
  cardDeclined: "The card was declined. Try another card or contact your bank.",
  tooManyAttempts: "Too many payment attempts. Please wait a while before trying again.",
  captchaRequired: "Please confirm you are not a robot, then pay again.",
  confirming: "Confirming your payment with PaySys…",
  declined: "The payment did not go through",
  pending: "PaySys has not confirmed the payment yet.",
  checkAgain: "Check again",
  noCart: "There is no cart to confirm here: it was not found, or its order was placed already.",
  notStarted: "This cart has not been paid: choose a payment method at checkout.",
  notPaid: "The payment was not completed.",
  checkFailed: "We could not check your payment just now. Please try again in a moment.",
  tryAgain: "Try again, with another card if you like",
  savedCards: "Saved cards",
  noSavedCards: "No saved cards yet.",
  payWithSavedCard: "Pay with this card",
  removeCard: "Remove",
  expires: "expires",
}

const ru: PaysysMessages = {
  holderName: "Имя на карте",
  cardNumber: "Номер карты",
  expiry: "Срок действия (ММ/ГГ)",
  cvc: "CVC",
  pay: "Оплатить",
  paying: "Оплата…",
  problems: {
    holder_name_invalid: "Имя на карте: 1-26 латинских букв, цифр, пробелов или - / _ .",
    number_length: "Номер карты: 12-19 цифр",
    number_luhn: "Неверный номер карты",
    number_uzcard_humo: "Карты UzCard и HUMO здесь не принимаются: оплатите картой Visa, MasterCard или МИР",
    number_brand: "Оплатите картой Visa, MasterCard или МИР",
    expiry_format: "Срок действия: ММ/ГГ, как на карте",
    expiry_past: "Срок действия карты истёк",
    cvc_invalid: "CVC: 3 цифры на обороте карты",
  },
  uzcardHumoUseForm: "Картами UzCard и HUMO оплачивают на платёжной форме PaySys: выберите её среди способов оплаты",
  unavailable: "PaySys недоступен. Попробуйте ещё раз через минуту.",
  cardDeclined: "Карта отклонена. Попробуйте другую карту или обратитесь в свой банк.",
  tooManyAttempts: "Слишком много попыток оплаты. Подождите немного и попробуйте снова.",
  captchaRequired: "Подтвердите, что вы не робот, и оплатите снова.",
  confirming: "Подтверждаем оплату в PaySys…",
  declined: "Платёж не прошёл",
  pending: "PaySys ещё не подтвердил платёж.",
  checkAgain: "Проверить снова",
  noCart: "Здесь нечего подтверждать: корзина не найдена или её заказ уже оформлен.",
  notStarted: "Эта корзина не оплачена: выберите способ оплаты при оформлении заказа.",
  notPaid: "Платёж не был завершён.",
  checkFailed: "Сейчас не удалось проверить платёж. Попробуйте ещё раз через минуту.",
  tryAgain: "Попробуйте ещё раз, можно другой картой",
  savedCards: "Сохранённые карты",
  noSavedCards: "Сохранённых карт пока нет.",
  payWithSavedCard: "Оплатить этой картой",
  removeCard: "Удалить",
  expires: "до",
}

const uz: PaysysMessages = {
  holderName: "Kartadagi ism",
  cardNumber: "Karta raqami",
  expiry: "Amal qilish muddati (OO/YY)",
  cvc: "CVC",
  pay: "To'lash",
  paying: "To'lanmoqda…",
  problems: {
    holder_name_invalid: "Kartadagi ism: 1-26 ta lotin harfi, raqam, bo'sh joy yoki - / _ .",
    number_length: "Karta raqami: 12-19 ta raqam",
    number_luhn: "Karta raqami noto'g'ri",
    number_uzcard_humo:
      "UzCard va HUMO kartalari bu yerda qabul qilinmaydi: Visa, MasterCard yoki MIR kartasi bilan to'lang",
    number_brand: "Visa, MasterCard yoki MIR kartasi bilan to'lang",
    expiry_format: "Amal qilish muddati: OO/YY, kartadagidek",
    expiry_past: "Kartaning amal qilish muddati tugagan",
    cvc_invalid: "CVC: kartaning orqasidagi 3 ta raqam",
  },
  uzcardHumoUseForm: "UzCard va HUMO kartalari PaySys to'lov shaklida to'lanadi: uni to'lov usullari orasidan tanlang",
  unavailable: "PaySys bilan bog'lanib bo'lmadi. Birozdan so'ng qayta urinib ko'ring.",
  cardDeclined: "Karta rad etildi. Boshqa kartani sinab ko'ring yoki bankingizga murojaat qiling.",
  tooManyAttempts: "To'lashga urinishlar juda ko'p. Qayta urinishdan oldin biroz kuting.",
  captchaRequired: "Robot emasligingizni tasdiqlang va qayta to'lang.",
  confirming: "To'lov PaySys orqali tasdiqlanmoqda…",
  declined: "To'lov amalga oshmadi",
  pending: "PaySys to'lovni hali tasdiqlamadi.",
  checkAgain: "Qayta tekshirish",
  noCart: "Bu yerda tasdiqlanadigan savat yo'q: u topilmadi yoki uning buyurtmasi allaqachon rasmiylashtirilgan.",
  notStarted: "Bu savat to'lanmagan: buyurtmani rasmiylashtirishda to'lov usulini tanlang.",
  notPaid: "To'lov yakunlanmadi.",
  checkFailed: "Hozir to'lovni tekshirib bo'lmadi. Birozdan so'ng qayta urinib ko'ring.",
  tryAgain: "Qayta urinib ko'ring, boshqa karta bilan ham mumkin",
  savedCards: "Saqlangan kartalar",
  noSavedCards: "Saqlangan kartalar hali yo'q.",
  payWithSavedCard: "Shu karta bilan to'lash",
  removeCard: "O'chirish",
  expires: "muddati",
}

export const PAYSYS_MESSAGES: Record<PaysysLanguage, PaysysMessages> = { en, ru, uz }

export function paysysMessages(language: PaysysLanguage = "en"): PaysysMessages {
  return PAYSYS_MESSAGES[language] ?? en
}

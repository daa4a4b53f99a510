import { RateLimiterRes, RateLimiterStoreAbstract } from "rate-limiter-flexible"
import type { CaptchaOptions, CardLimits } from "./card-options"
import { verifyCaptchaToken } from "./captcha-verifier"
import { LimiterStore } from "./limiter-store"

/** Who a card payment comes from and what it pays: each one known is counted. */
export type PaymentKeys = {
  ip: string
  session: string
  cart?: string | null
  customer?: string | null
  /** a card fingerprint (cardFingerprint) or a saved card's id */
  card?: string | null
}

export type RegistrationKeys = { ip: string; customer: string }

/** Refused by a velocity limit: answer 429 with Retry-After. */
export class TooManyAttemptsError extends Error {
  readonly name = "TooManyAttemptsError"
  constructor(readonly retryAfterSeconds: number) {
    super("Too many payment attempts: wait a little before trying again")
  }
}

/** Too many declines: the next attempt needs a CAPTCHA token the verifier accepts. */
export class CaptchaRequiredError extends Error {
  readonly name = "CaptchaRequiredError"
  constructor(readonly tokenRefused: boolean) {
    super(tokenRefused ? "The CAPTCHA was not accepted: solve it again" : "Solve the CAPTCHA to try another card")
  }
}

/** Extra points a decline costs beyond the attempt's own point. */
export function declinePenalty(limits: Pick<CardLimits, "declineCost">): number {
  return limits.declineCost - 1
}

/** Whole seconds to wait, at least 1: Retry-After of the limiter that refused last the longest. */
export function retryAfterSeconds(refusals: RateLimiterRes[]): number {
  return Math.max(1, ...refusals.map((refusal) => Math.ceil(refusal.msBeforeNext / 1000)))
}

type PaymentLimiters = Record<keyof PaymentKeys, RateLimiterStoreAbstract>

/**
 * Card-testing defences: how many card payments and registrations each client IP, payment
 * session, cart, customer and card may make, a decline costing more than a success, and a
 * CAPTCHA after repeated declines. Counted in the LimiterStore, so all servers share the limits.
 */
export class CardVelocity {
  private constructor(
    private readonly limits: CardLimits,
    private readonly payments: PaymentLimiters,
    private readonly registrations: Record<keyof RegistrationKeys, RateLimiterStoreAbstract>,
    private readonly declines: { ip: RateLimiterStoreAbstract; session: RateLimiterStoreAbstract } | null,
    private readonly captcha: CaptchaOptions | undefined
  ) {}

  static create(store: LimiterStore, limits: CardLimits, captcha: CaptchaOptions | undefined): CardVelocity {
    const prefix = "paysys:velocity"
    const payments: PaymentLimiters = {
      ip: store.limiter(`${prefix}:pay:ip`, limits.paymentsPerIp),
      session: store.limiter(`${prefix}:pay:session`, limits.paymentsPerSession),
      cart: store.limiter(`${prefix}:pay:cart`, limits.paymentsPerCart),
      customer: store.limiter(`${prefix}:pay:customer`, limits.paymentsPerCustomer),
      card: store.limiter(`${prefix}:pay:card`, limits.paymentsPerCard),
    }
    const registrations = {
      ip: store.limiter(`${prefix}:register:ip`, limits.registrationsPerIp),
      customer: store.limiter(`${prefix}:register:customer`, limits.registrationsPerCustomer),
    }
    const declineWindow = captcha && { points: captcha.afterDeclines, seconds: captcha.declinesWindowSeconds }
    const declines = declineWindow
      ? {
          ip: store.limiter(`${prefix}:declines:ip`, declineWindow),
          session: store.limiter(`${prefix}:declines:session`, declineWindow),
        }
      : null
    return new CardVelocity(limits, payments, registrations, declines, captcha)
  }

  /**
   * Before a card payment reaches PaySys: asks for a CAPTCHA after repeated declines, then
   * counts the attempt against every key's limit; throws when one is exceeded. The keys still
   * being read (`later`: the session's cart and customer) are counted as they arrive, the others
   * meanwhile, so the read and the counting overlap. Answers all the keys.
   */
  async admitPayment(
    known: Omit<PaymentKeys, "cart" | "customer">,
    later: Promise<Pick<PaymentKeys, "cart" | "customer">>,
    captchaToken?: string
  ): Promise<PaymentKeys> {
    later.catch(() => undefined) // awaited below; a CAPTCHA refusal must not leave it unhandled
    await this.requireCaptchaIfDeclining(known, captchaToken)
    const counting = [
      ...entriesOf(this.payments, known).map(([limiter, key]) => limiter.consume(key)),
      ...(["cart", "customer"] as const).map((name) =>
        later.then((keys) => (keys[name] ? this.payments[name].consume(keys[name]) : null))
      ),
    ]
    throwRefusals(await Promise.allSettled(counting))
    return { ...known, ...(await later) }
  }

  /**
   * Before a saved card is charged (pay_by_id at cart completion): the limits only. No CAPTCHA:
   * the customer passed 3-D Secure to save the card, and registrations are limited.
   */
  async admitSavedCardPayment(keys: PaymentKeys): Promise<void> {
    await consumeAll(entriesOf(this.payments, keys))
  }

  /** After PaySys declined the card: the attempt costs more, and counts towards the CAPTCHA. */
  async recordDecline(keys: PaymentKeys): Promise<void> {
    const penalty = declinePenalty(this.limits)
    const counted = entriesOf(this.payments, keys).map(([limiter, key]) =>
      penalty ? limiter.penalty(key, penalty) : null
    )
    const declines = this.declines
      ? [this.declines.ip.penalty(keys.ip), this.declines.session.penalty(keys.session)]
      : []
    await Promise.all([...counted, ...declines])
  }

  /** Before mir.card_registration: counts the registration per customer and IP. */
  async admitRegistration(keys: RegistrationKeys): Promise<void> {
    await consumeAll(entriesOf(this.registrations, keys))
  }

  /** After PaySys refused to register the card: the registration costs more. */
  async recordRegistrationDecline(keys: RegistrationKeys): Promise<void> {
    const penalty = declinePenalty(this.limits)
    await Promise.all(
      penalty ? entriesOf(this.registrations, keys).map(([limiter, key]) => limiter.penalty(key, penalty)) : []
    )
  }

  private async requireCaptchaIfDeclining(keys: PaymentKeys, token: string | undefined) {
    if (!this.declines || !this.captcha) {
      return
    }
    const [byIp, bySession] = await Promise.all([
      this.declines.ip.get(keys.ip),
      this.declines.session.get(keys.session),
    ])
    const declined = Math.max(byIp?.consumedPoints ?? 0, bySession?.consumedPoints ?? 0)
    if (declined < this.captcha.afterDeclines) {
      return
    }
    if (!token) {
      throw new CaptchaRequiredError(false)
    }
    if (!(await verifyCaptchaToken(this.captcha, token, keys.ip))) {
      throw new CaptchaRequiredError(true)
    }
  }
}

function entriesOf<K extends string>(
  limiters: Record<K, RateLimiterStoreAbstract>,
  keys: Partial<Record<K, string | null>>
) {
  return (Object.keys(limiters) as K[])
    .filter((name) => keys[name])
    .map((name) => [limiters[name], keys[name] as string] as const)
}

/**
 * Counts the attempt on every limit at once; refused when any is exceeded. The others keep their
 * point (none is given back): to a limiter, an attempt it refused is still an attempt.
 */
async function consumeAll(entries: (readonly [RateLimiterStoreAbstract, string])[]) {
  throwRefusals(await Promise.allSettled(entries.map(([limiter, key]) => limiter.consume(key))))
}

/** The limits' refusals as one TooManyAttemptsError (the longest Retry-After); any other failure as itself. */
function throwRefusals(results: PromiseSettledResult<unknown>[]) {
  const refusals = results.flatMap((result) => (result.status === "rejected" ? [result.reason] : []))
  const failure = refusals.find((reason) => !(reason instanceof RateLimiterRes))
  if (failure) {
    throw failure
  }
  if (refusals.length) {
    throw new TooManyAttemptsError(retryAfterSeconds(refusals))
  }
}

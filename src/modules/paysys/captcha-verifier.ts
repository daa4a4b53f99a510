import axios from "axios"
import { z } from "zod"
import type { CaptchaOptions } from "./card-options"

const siteverifyAnswer = z.object({ success: z.boolean() })

/**
 * Asks the CAPTCHA provider whether a token is good: the siteverify call Cloudflare Turnstile
 * and hCaptcha share (form-encoded secret, response, remoteip; JSON `{ success }`). Anything
 * else, the provider unreachable included, is not a good token.
 */
export async function verifyCaptchaToken(options: CaptchaOptions, token: string, remoteIp: string): Promise<boolean> {
  try {
    const { data } = await axios.post(
      options.verifyUrl,
      new URLSearchParams({ secret: options.secret, response: token, remoteip: remoteIp }).toString(),
      {
        headers: { "content-type": "application/x-www-form-urlencoded" },
        timeout: options.timeoutMs,
        maxContentLength: 64 * 1024,
      }
    )
    const parsed = siteverifyAnswer.safeParse(data)
    return parsed.success && parsed.data.success
  } catch {
    return false
  }
}

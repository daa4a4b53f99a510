import * as paysys from ".."

/** Every request and answer example of the PaySys documentation, as printed there. */
describe("the documentation's examples", () => {
  it("prepare_payment request and answer", () => {
    const params = {
      card_holder_name: "CARDHOLDER NAME",
      card_number: "4278000000275400",
      card_expire: "2702",
      card_cvc: "067",
      amount: "1139000",
      currency: "uzs",
      vendor_id: "100381",
      partner_trans_id: "167075",
      client_ip_addr: "192.4.59.3",
      description: "Month subscription",
      redirect_url: "https://shop.merchant.com/order/23",
    }
    expect(paysys.preparePaymentParams.parse(params)).toEqual(params)
    const answer = {
      id: "85e0cd56-52c9-4709-b558-81203cb4e6ff",
      error: null,
      result: {
        transaction_id: "1485295",
        confirm_url: "https://ecomm.kapital24.uz:6443/ecomm2/ClientHandler?trans_id=tYkiAVsnP3SnjBMSiXrWGrIRbeo%3D",
      },
      mx_id: "2c2a35dc3682fc7e94df5b2f61a10c6b",
    }
    expect(paysys.envelope.parse(answer).mx_id).toBe("2c2a35dc3682fc7e94df5b2f61a10c6b")
    expect(paysys.preparePaymentResult.parse(answer.result).transaction_id).toBe("1485295")
  })

  it("check_payment request and answer", () => {
    expect(paysys.checkPaymentParams.parse({ partner_trans_id: "167075" })).toEqual({ partner_trans_id: "167075" })
    const result = paysys.paymentStatusResult.parse({
      transaction_id: "1485295",
      partner_trans_id: "167075",
      status: "2",
      data: {
        RESULT: "OK",
        RESULT_CODE: "000",
        "3DSECURE": "AUTHENTICATED",
        RRN: "207011889463",
        APPROVAL_CODE: "155427",
        CARD_NUMBER: "427831******5400",
      },
      err_obj: null,
    })
    expect(result.status).toBe(2)
    expect(result.data.RRN).toBe("207011889463")
    const failed = paysys.paymentStatusResult.parse({
      transaction_id: 1,
      partner_trans_id: "x",
      status: -1,
      err_obj: { code: -32313, message: "Transaction status is canceled" },
    })
    expect(failed).toMatchObject({ status: -1, err_obj: { code: -32313 }, data: {} })
  })

  it("mir.card_registration request and answer (card_expire is YY/MM here)", () => {
    const params = {
      card_number: "2222222222222222",
      card_expire: "04/27",
      card_cvc: "123",
      card_holder: "CARDHOLDER NAME",
      account: "998123456789",
    }
    expect(paysys.cardRegistrationParams.parse(params)).toEqual(params)
    expect(paysys.cardRegistrationParams.safeParse({ ...params, card_expire: "2704" }).success).toBe(false) // YYMM is prepare_payment's
    const answer = {
      error: null,
      result: {
        card_id: "722c379bbe7646446483813c88f3883c",
        confirm_url: "https://paysys.uz/Security3d/qiwi/caea6ec14e8dee23ca8c68b69565fa9a",
      },
      id: 2,
      mx_id: "bd9e122dae9cabfa97b0bb8e468e3b63",
    }
    expect(paysys.envelope.parse(answer).id).toBe(2)
    expect(paysys.cardRegistrationResult.parse(answer.result).card_id).toBe("722c379bbe7646446483813c88f3883c")
  })

  it("partner.notify SUCCESS and ERROR", () => {
    const success = paysys.cardRegistrationNotification.parse({
      id: "34a83544-81f8-4804-b6b7-07044a1600ca",
      method: "partner.notify",
      params: {
        stat: "SUCCESS",
        id: "d553921350e68a6af96d63a544720f9c",
        token: "0b6227c70d365255176cb6c3b9b6cccfd3aa17b0",
        pan: "222222******2222",
      },
    })
    expect(success.params.stat).toBe("SUCCESS")
    const error = paysys.cardRegistrationNotification.parse({
      id: "34a83544-81f8-4804-b6b7-07044a1600ca",
      method: "partner.notify",
      params: { stat: "ERROR", id: "d553921350e68a6af96d63a544720f9c", code: "-34000", message: "Описание ошибки" },
    })
    expect(error.params).toMatchObject({ stat: "ERROR", code: -34000 })
  })

  it("mir.remove_card_token request and answer", () => {
    const params = { card_id: "49270cae102c3c3197da8d0086a28c15", card_token: "6b7b30a481e66bad08de64f3145cf7ce" }
    expect(paysys.removeCardTokenParams.parse(params)).toEqual(params)
    expect(paysys.removeCardTokenResult.parse({ pan: "222222******2222" }).pan).toBe("222222******2222")
  })

  it("pay_by_id request (currency in upper case) and answer (amount with a decimal comma)", () => {
    const params = paysys.payByIdParams.parse({
      partner_trans_id: "39888c6d-bbb9-4044-97a6-bec2d85dd6c10",
      card_id: "722c379bbe7646446483813c88f3883c",
      amount: "100",
      currency: "RUB",
      client_ip_addr: "1.1.1.1",
      description: "TEST",
      vendor_id: "101478",
    })
    expect(params.currency).toBe("rub")
    const result = paysys.payByIdResult.parse({
      details: {
        id: 217909211968,
        masked_card_number: "222222******2222",
        transaction_id: "4457089",
        bank_transaction_id: 100053825,
        amount: "100,00",
        merchantId: null,
        terminalId: null,
        date: 1656407767,
      },
      payment_id: 27,
    })
    expect(result.details).toMatchObject({ id: "217909211968", transaction_id: "4457089", amount: "100,00" })
    expect(paysys.normalizeDecimal(result.details.amount)).toBe("100")
  })

  it("cancel_payment and refund_payment", () => {
    expect(paysys.cancelPaymentParams.parse({ partner_trans_id: "167075" })).toBeTruthy()
    expect(
      paysys.paymentStatusResult.parse({ transaction_id: "1485295", partner_trans_id: "167075", status: "3", data: {} })
        .status
    ).toBe(3)
    expect(paysys.refundPaymentParams.parse({ partner_trans_id: "167075", amount: "113305", currency: "uzs" })).toEqual(
      {
        partner_trans_id: "167075",
        amount: "113305",
        currency: "uzs",
      }
    )
  })

  it("the transaction status notification", () => {
    const notification = paysys.transactionStatusNotification.parse({
      id: "44114543",
      account: "931111111",
      amount: 1000,
      card_masked: "222222******2222",
      currency: 840,
      currency_name: "usd",
      status: -1,
      date: "24.06.2022 07:49:16",
    })
    expect(notification).toMatchObject({ account: "931111111", amount: "1000", currency: 840, status: -1 })
  })

  it("refuses malformed params naming the field", () => {
    const result = paysys.preparePaymentParams.safeParse({ card_cvc: "12" })
    expect(result.success).toBe(false)
    const fields = result.error!.issues.map((i) => i.path.join("."))
    expect(fields).toEqual(expect.arrayContaining(["card_cvc", "card_number", "card_expire", "amount"]))
    expect(paysys.preparePaymentParams.shape.card_expire.safeParse("2713").success).toBe(false)
    expect(paysys.preparePaymentParams.shape.card_holder_name.safeParse("Ivan <script>").success).toBe(false)
  })
})

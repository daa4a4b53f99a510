import type { CardBrand } from "../../../../src/paysys/card-rules"

const BRANDS: Record<CardBrand, { label: string; color: string; text: string }> = {
  visa: { label: "Visa", color: "#1a1f71", text: "VISA" },
  mastercard: { label: "MasterCard", color: "#eb001b", text: "MC" },
  mir: { label: "MIR", color: "#0f754e", text: "МИР" },
}

/** A small badge of the card's brand; a blank card while the number says none yet. */
export function BrandIcon({ brand }: { brand: CardBrand | null }) {
  const shown = brand ? BRANDS[brand] : null
  return (
    <svg width="38" height="24" viewBox="0 0 38 24" role="img" aria-label={shown?.label ?? ""} data-brand={brand ?? ""}>
      <rect width="38" height="24" rx="4" fill={shown?.color ?? "#d9dce1"} />
      {shown && (
        <text x="19" y="16" fontSize="10" fontWeight="700" fontFamily="sans-serif" fill="#fff" textAnchor="middle">
          {shown.text}
        </text>
      )}
    </svg>
  )
}

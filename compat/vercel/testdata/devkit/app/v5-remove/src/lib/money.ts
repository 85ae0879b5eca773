import { WORKFLOW_SERIALIZE, WORKFLOW_DESERIALIZE } from "@workflow/serde";

export class Money {
  constructor(public cents: number, public currency: string) {}
  static [WORKFLOW_SERIALIZE](m: Money) {
    return { cents: m.cents, currency: m.currency };
  }
  static [WORKFLOW_DESERIALIZE](d: { cents: number; currency: string }) {
    return new Money(d.cents, d.currency);
  }
}

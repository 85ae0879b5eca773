import { sleep } from "workflow";
import { Money } from "../lib/money";

export async function reserveStock(orderId: string) {
  "use step";
  return { orderId, reserved: true };
}

export async function chargeCard(orderId: string, cents: number) {
  "use step";
  return new Money(cents, "USD");
}

export async function shipOrder(orderId: string) {
  "use step";
  return { orderId, tracking: "TRK-" + orderId };
}

// processOrder: reserveStock -> chargeCard -> sleep (holds the run) -> shipOrder.
export async function processOrder(orderId: string, cents: number) {
  "use workflow";
  await reserveStock(orderId);
  const paid = await chargeCard(orderId, cents);
  await sleep("90s");
  const shipped = await shipOrder(orderId);
  return { paid: paid.cents, tracking: shipped.tracking };
}

// quickOrder: reserveStock -> chargeCard -> shipOrder, no sleep: it
// finishes at once and stands for runs that ended before the upgrade.
export async function quickOrder(orderId: string, cents: number) {
  "use workflow";
  await reserveStock(orderId);
  const paid = await chargeCard(orderId, cents);
  const shipped = await shipOrder(orderId);
  return { paid: paid.cents, tracking: shipped.tracking };
}

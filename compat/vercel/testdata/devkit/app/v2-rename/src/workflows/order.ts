import { sleep } from "workflow";
import { Money } from "../lib/money";

export async function reserveStock(orderId: string) {
  "use step";
  return { orderId, reserved: true };
}

export async function chargePayment(orderId: string, cents: number) {
  "use step";
  return new Money(cents, "USD");
}

export async function shipOrder(orderId: string) {
  "use step";
  return { orderId, tracking: "TRK-" + orderId };
}

// processOrder: reserveStock -> chargePayment -> sleep (holds the run) -> shipOrder.
export async function processOrder(orderId: string, cents: number) {
  "use workflow";
  await reserveStock(orderId);
  const paid = await chargePayment(orderId, cents);
  await sleep("90s");
  const shipped = await shipOrder(orderId);
  return { paid: paid.cents, tracking: shipped.tracking };
}

// remindLater: sleep (holds the run) -> shipOrder.
export async function remindLater(orderId: string) {
  "use workflow";
  await sleep("90s");
  return await shipOrder(orderId);
}

// quickOrder: reserveStock -> chargePayment -> shipOrder, no sleep: it
// finishes at once and stands for runs that ended before the upgrade.
export async function quickOrder(orderId: string, cents: number) {
  "use workflow";
  await reserveStock(orderId);
  const paid = await chargePayment(orderId, cents);
  const shipped = await shipOrder(orderId);
  return { paid: paid.cents, tracking: shipped.tracking };
}

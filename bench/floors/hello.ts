/** Floor of the floor: a Lambda that does nothing, to show what bundling the SDK costs. */
export async function handler(): Promise<{ statusCode: number }> {
  return { statusCode: 200 };
}

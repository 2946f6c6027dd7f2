/**
 * AWS Price List bulk API files (https://pricing.us-east-1.amazonaws.com), as documented in
 * https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-the-aws-price-list-bulk-api.html:
 * offer index → an offer's region index → a region's offer file (`products` and `terms`).
 */

/** /offers/v1.0/aws/index.json */
export interface OfferIndex {
  formatVersion: string;
  disclaimer?: string;
  publicationDate: string;
  offers: Record<
    string,
    {
      offerCode: string;
      versionIndexUrl?: string;
      currentVersionUrl: string;
      currentRegionIndexUrl?: string;
      savingsPlanVersionIndexUrl?: string;
      currentSavingsPlanIndexUrl?: string;
    }
  >;
}

/** /offers/v1.0/aws/<offerCode>/current/region_index.json */
export interface RegionIndex {
  formatVersion: string;
  disclaimer?: string;
  publicationDate: string;
  regions: Record<string, { regionCode: string; currentVersionUrl: string }>;
}

export interface Product {
  sku: string;
  productFamily?: string;
  attributes: Record<string, string>;
}

export interface PriceDimension {
  rateCode: string;
  description?: string;
  beginRange?: string;
  endRange?: string;
  unit: string;
  pricePerUnit: Record<string, string>;
  appliesTo?: string[];
}

export interface Term {
  offerTermCode: string;
  sku: string;
  effectiveDate?: string;
  priceDimensions: Record<string, PriceDimension>;
  termAttributes: Record<string, string>;
}

/** /offers/v1.0/aws/<offerCode>/<version>/<region>/index.json */
export interface OfferFile {
  formatVersion: string;
  disclaimer?: string;
  offerCode: string;
  version: string;
  publicationDate: string;
  products: Record<string, Product>;
  terms: {
    OnDemand?: Record<string, Record<string, Term>>;
    Reserved?: Record<string, Record<string, Term>>;
  };
}

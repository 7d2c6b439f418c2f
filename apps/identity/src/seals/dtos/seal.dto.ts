import { IsBase64, IsOptional, IsString, Length, Matches } from 'class-validator';

export class SealDocumentDto {
  @IsString()
  @Length(18, 18)
  orgCode!: string;

  /** The document's number (文号/编号), unique across the platform. */
  @Matches(/^[\w\-.:/\u4e00-\u9fa5〔〕()（）]{1,64}$/, { message: 'documentCode: 1-64 letters, digits, Chinese characters or -_.:/()〔〕' })
  documentCode!: string;

  /** The document bytes, base64 (request bodies are limited to 100 kB: send sha256 for larger files). Give this or sha256. */
  @IsOptional()
  @IsBase64()
  @Length(4, 100_000)
  contentBase64?: string;

  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lowercase hex characters' })
  sha256?: string;

  @IsOptional()
  @IsString()
  @Length(1, 200)
  title?: string;
}

export class VerifySealDto {
  @IsString()
  @Length(10, 200_000)
  jws!: string;

  @IsOptional()
  @IsBase64()
  contentBase64?: string;
}

export class VerifyDocumentDto {
  @IsString()
  @Length(1, 64)
  documentCode!: string;

  @IsOptional()
  @IsBase64()
  contentBase64?: string;

  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lowercase hex characters' })
  sha256?: string;
}

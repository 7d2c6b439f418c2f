import { PageQuery } from '../common/page.query';
import { CaseNumber } from '@gov/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsObject, IsOptional, IsString, Length, Matches, ValidateNested, type ValidationArguments, type ValidationOptions, registerDecorator } from 'class-validator';
import { IsPlainText, textProblem } from '../applications/dtos/text.validator';
import { MATTER_CODE_PATTERN, MATTER_CODE_RULE } from '../matters/matter-code';

/** Multi-line text that will be stored and published: no NUL, no lone surrogate, no control characters but line breaks. */
function IsMultiLineText(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isMultiLineText',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || textProblem(value, true) === undefined,
        defaultMessage: (args: ValidationArguments) => `${args.property} ${typeof args.value === 'string' ? (textProblem(args.value, true) ?? '') : ''}`.trim(),
      },
    });
  };
}

function IsCaseNumber(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isCaseNumber',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: { validate: (value: unknown) => typeof value === 'string' && value.length <= 64 && CaseNumber.safeParse(value).success },
    });
  };
}

const QUESTION_RULE = 'question must be 5-2000 characters';
const NOT_BLANK = /\S[\s\S]*\S|\S/u;

class QuestionFields {
  @ApiProperty({ example: '个体工商户办理食品经营许可需要提供健康证明吗？', minLength: 5, maxLength: 2000 })
  @IsString({ message: `question is required: ${QUESTION_RULE}` })
  @Length(5, 2000, { message: QUESTION_RULE })
  @Matches(NOT_BLANK, { message: 'question must not be blank' })
  @IsMultiLineText()
  question!: string;
}

/** A signed-in applicant's question. */
export class AskDto extends QuestionFields {
  @ApiProperty({ example: 'DEMO-SCJG-001', description: `The matter asked about (in force and public): ${MATTER_CODE_RULE}` })
  @IsString({ message: `matterCode is required: ${MATTER_CODE_RULE}` })
  @Matches(MATTER_CODE_PATTERN, { message: `matterCode must be ${MATTER_CODE_RULE}` })
  matterCode!: string;

  @ApiPropertyOptional({ example: '449901-20261202-000001', description: 'One of your own applications the question is about' })
  @IsOptional()
  @IsCaseNumber({ message: 'caseNumber must be a case number such as 449901-20261202-000001' })
  caseNumber?: string;
}

export class ContactDto {
  @ApiProperty({ example: '王女士', maxLength: 50 })
  @IsString({ message: 'contact.name is required: 1-50 characters' })
  @Length(1, 50, { message: 'contact.name must be 1-50 characters' })
  @IsPlainText()
  name!: string;

  @ApiProperty({ example: '13800138000', description: 'A mobile number (11 digits starting with 1) or an e-mail address, for the answer' })
  @IsString({ message: 'contact.reach is required: a mobile number or an e-mail address' })
  @Matches(/^(1\d{10}|[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,63})$/u, { message: 'contact.reach must be a mobile number (11 digits starting with 1) or an e-mail address' })
  reach!: string;
}

/** An anonymous question, on the public guide: a contact is required. */
export class AnonymousAskDto extends QuestionFields {
  @ApiProperty({ type: ContactDto })
  @IsDefined({ message: 'contact is required: {"name": ..., "reach": a mobile number or an e-mail address}' })
  @IsObject({ message: 'contact must be an object {"name": ..., "reach": ...}' })
  @ValidateNested()
  @Type(() => ContactDto)
  contact!: ContactDto;
}

export class AnswerDto {
  @ApiProperty({ example: '需要。从事接触直接入口食品工作的人员应当取得健康证明。', minLength: 2, maxLength: 5000 })
  @IsString({ message: 'answer is required: 2-5000 characters' })
  @Length(2, 5000, { message: 'answer must be 2-5000 characters' })
  @Matches(NOT_BLANK, { message: 'answer must not be blank' })
  @IsMultiLineText()
  answer!: string;

  @ApiPropertyOptional({ default: false, description: "Publish the question and answer in the matter's public FAQ (no asker or contact is shown)" })
  @IsOptional()
  @IsBoolean({ message: 'public must be true or false' })
  public?: boolean;
}

export class PublicationDto {
  @ApiProperty({ description: "Show (true) or hide (false) the answered question in the matter's public FAQ" })
  @IsBoolean({ message: 'public is required: true or false' })
  public!: boolean;
}

export const QUEUE_STATES = ['unanswered', 'overdue', 'answered', 'all'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

export class QueueQuery extends PageQuery {
  @ApiPropertyOptional({ enum: QUEUE_STATES, default: 'unanswered', description: 'unanswered (overdue included), overdue (unanswered past due), answered, all' })
  @IsOptional()
  @IsIn(QUEUE_STATES, { message: `state must be one of ${QUEUE_STATES.join(', ')}` })
  state?: QueueState;
}

export class MineQuery extends PageQuery {}
export class FaqQuery extends PageQuery {}

export class ConsultationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() matterCode!: string;
  @ApiProperty() matterName!: string;
  @ApiProperty() departmentCode!: string;
  @ApiProperty({ nullable: true, type: String }) caseNumber!: string | null;
  @ApiProperty({ enum: ['applicant', 'anonymous'] }) asker!: 'applicant' | 'anonymous';
  @ApiProperty() question!: string;
  @ApiProperty({ format: 'date-time' }) askedAt!: string;
  @ApiProperty({ format: 'date-time' }) dueAt!: string;
  @ApiProperty({ enum: ['unanswered', 'overdue', 'answered'] }) state!: 'unanswered' | 'overdue' | 'answered';
  @ApiProperty({ nullable: true, type: String }) answer!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) answeredAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) answeredBy!: string | null;
  @ApiProperty() public!: boolean;
}

/** What the department sees: the asker's contact too (anonymous questions). */
export class QueueItemDto extends ConsultationDto {
  @ApiProperty({ nullable: true, type: String }) contactName!: string | null;
  @ApiProperty({ nullable: true, type: String }) contact!: string | null;
}

export class AskedDto extends ConsultationDto {
  @ApiPropertyOptional({ description: 'Anonymous questions only, shown once: read the answer at GET /guide/consultations/{id} with header Consultation-Access-Code' })
  accessCode?: string;
}

export class ConsultationPageDto {
  @ApiProperty({ type: [ConsultationDto] }) items!: ConsultationDto[];
  @ApiProperty() total!: number;
}

export class QueuePageDto {
  @ApiProperty({ type: [QueueItemDto] }) items!: QueueItemDto[];
  @ApiProperty() total!: number;
}

export class FaqItemDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() question!: string;
  @ApiProperty() answer!: string;
  @ApiProperty({ format: 'date-time' }) answeredAt!: string;
}

export class FaqPageDto {
  @ApiProperty() matterCode!: string;
  @ApiProperty({ type: [FaqItemDto] }) items!: FaqItemDto[];
  @ApiProperty() total!: number;
}

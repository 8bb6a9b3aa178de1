import { Controller, Get, Header, Inject, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { NotFoundError } from '@switchboard/common/errors';
import type { Response } from 'express';
import { Public } from '../auth/access.decorators';
import { PublicFiles } from './public-files';

export const PUBLIC_FILES = Symbol('PUBLIC_FILES');

/** /widget.js (embeddable anywhere an inbox allows), and the operators' console at / . */
@ApiExcludeController()
@Public()
@Controller()
export class StaticController {
  constructor(@Inject(PUBLIC_FILES) private readonly files: PublicFiles) {}

  @Get('widget.js')
  @Header('Cache-Control', 'public, max-age=300')
  widget(@Res() res: Response): void {
    this.send(res, 'widget.js');
  }

  @Get()
  @Header('Cache-Control', 'no-cache')
  console(@Res() res: Response): void {
    this.send(res, 'index.html');
  }

  @Get('console/:file')
  @Header('Cache-Control', 'no-cache')
  asset(@Param('file') file: string, @Res() res: Response): void {
    this.send(res, file);
  }

  private send(res: Response, name: string): void {
    const file = this.files.get(name);
    if (!file) throw new NotFoundError(`${name} not found`);
    res.type(file.contentType).send(file.body);
  }
}

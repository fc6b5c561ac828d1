import { Controller, Get } from '@nestjs/common';
import { PaymoClient, PaymoSession, PaymoUser, PaymoUserType, Public } from '@paymo/auth-nestjs';

@Controller()
export class AppController {
  /** Open to everyone. */
  @Public()
  @Get()
  index() {
    return {
      app: 'nest-example',
      signIn: 'POST /auth/sign-in with {"email","password"} or {"apiKey"}',
      routes: ['GET /me', 'GET /clients', 'GET /admin/report'],
    };
  }

  /** Any signed-in Paymo user (cookie, X-Session or Basic). */
  @Get('me')
  me(@PaymoUser() user: PaymoUser, @PaymoSession() session: PaymoSession) {
    return { user: { id: user.id, name: user.name, email: user.email, type: user.type }, expiresAt: session.expiresAt };
  }

  /** Fetched from Paymo with the signed-in user's own session. */
  @Get('clients')
  async clients(@PaymoClient() paymo: PaymoClient) {
    const { clients } = await paymo.request<{ clients: Array<{ id: number; name: string }> }>('GET', '/clients');
    return { clients: clients.map(({ id, name }) => ({ id, name })) };
  }

  /** Paymo admins only; other users get 403 FORBIDDEN. */
  @PaymoUserType('Admin')
  @Get('admin/report')
  adminReport(@PaymoUser() user: PaymoUser) {
    return { report: 'for admins only', viewer: user.name };
  }
}

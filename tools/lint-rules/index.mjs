// Project lint rules.
// controller-requires-guard: every NestJS @Controller class must carry @UseGuards(...) on the class, or every
// route handler must; an endpoint that is deliberately public (health, metrics, JWKS, login) says so with @Public().
const ROUTE_DECORATORS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'Head', 'Options', 'All', 'Sse']);

function decoratorName(decorator) {
  const expr = decorator.expression;
  if (expr.type === 'CallExpression' && expr.callee.type === 'Identifier') return expr.callee.name;
  if (expr.type === 'Identifier') return expr.name;
  return undefined;
}

const controllerRequiresGuard = {
  meta: {
    type: 'problem',
    docs: { description: 'Every controller endpoint is guarded (UseGuards) or explicitly marked @Public()' },
    messages: {
      unguarded: "Endpoint '{{name}}' has no guard: add @UseGuards(...) to the controller or handler, or mark it @Public() if it must be public.",
    },
    schema: [],
  },
  create(context) {
    return {
      ClassDeclaration(node) {
        const classDecorators = (node.decorators ?? []).map(decoratorName);
        if (!classDecorators.includes('Controller')) return;
        const classGuarded = classDecorators.includes('UseGuards') || classDecorators.includes('Public') || classDecorators.includes('Authenticated');
        if (classGuarded) return;
        for (const member of node.body.body) {
          if (member.type !== 'MethodDefinition') continue;
          const names = (member.decorators ?? []).map(decoratorName);
          if (!names.some((n) => ROUTE_DECORATORS.has(n))) continue;
          if (names.includes('UseGuards') || names.includes('Public') || names.includes('Authenticated')) continue;
          context.report({ node: member, messageId: 'unguarded', data: { name: member.key.name ?? '?' } });
        }
      },
    };
  },
};

export default { rules: { 'controller-requires-guard': controllerRequiresGuard } };

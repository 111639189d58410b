/* Gate self-test input: calls a function with neither code nor contract.
   WP would assume it assigns only what its prototype allows and could prove
   the caller, so the gate must refuse the file instead. */

int helper(void);

/*@ assigns \nothing;
    ensures \result == 0;
*/
int caller(void) { return helper() * 0; }

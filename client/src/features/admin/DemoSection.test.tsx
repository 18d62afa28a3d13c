import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { fakeApi, fakeServices, renderWithApp } from '../../test-utils';
import { DemoSection } from './DemoSection';

describe('DemoSection', () => {
  it('starts the chosen scenario on the chosen simulated chair', async () => {
    const triggerDemoScenario = vi.fn(() => Promise.resolve());
    const demoControl = () => Promise.resolve({ enabled: true, kinds: ['surge', 'sensor-off'], chairIds: ['chair-1', 'chair-2'] });
    renderWithApp(<DemoSection />, { services: fakeServices({ api: fakeApi({ demoControl, triggerDemoScenario }) }) });
    const user = userEvent.setup();
    await user.selectOptions(await screen.findByLabelText('Simulated chair'), 'chair-2');
    await user.selectOptions(screen.getByLabelText('Scenario'), 'SpO₂ sensor off');
    await user.click(screen.getByRole('button', { name: 'Start scenario' }));
    expect(triggerDemoScenario).toHaveBeenCalledWith('chair-2', 'sensor-off');
    expect(await screen.findByRole('status')).toHaveTextContent('SpO₂ sensor off started on chair-2.');
  });

  it('says so when demo mode is off', async () => {
    const demoControl = () => Promise.resolve({ enabled: false, kinds: [], chairIds: [] });
    renderWithApp(<DemoSection />, { services: fakeServices({ api: fakeApi({ demoControl }) }) });
    expect(await screen.findByText(/Demo mode is off/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Start scenario' })).not.toBeInTheDocument();
  });
});
